import { CanActivate, ExecutionContext, Injectable, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';

/** The contract's largest request body. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/**
 * 415 unless the body is declared JSON, 413 when it is larger than 64 KiB. The standalone
 * server's body parser enforces the size too; this guard keeps the answer the same when a
 * host app parses bodies with a larger limit.
 */
@Injectable()
export class JsonRequestGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    const contentType = String(request.headers['content-type'] ?? '');
    if (!/^application\/(.+\+)?json\s*(;|$)/i.test(contentType)) {
      throw new UnsupportedMediaTypeException('Content-Type must be application/json');
    }
    if (Number(request.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
      throw new PayloadTooLargeException(`The body must be at most ${MAX_REQUEST_BYTES} bytes`);
    }
    return true;
  }
}
