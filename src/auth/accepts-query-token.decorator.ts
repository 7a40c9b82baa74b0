import { SetMetadata } from '@nestjs/common';

export const ACCEPTS_QUERY_TOKEN = 'notifications:acceptsQueryToken';

/**
 * Lets BearerAuthGuard take the token from `?access_token=` on this route, for clients that
 * cannot set an Authorization header (EventSource). Every other route takes the header only.
 */
export const AcceptsQueryToken = () => SetMetadata(ACCEPTS_QUERY_TOKEN, true);
