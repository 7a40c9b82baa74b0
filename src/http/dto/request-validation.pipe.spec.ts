import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { ListNotificationsQuery } from './list-notifications.query';
import { RequestValidationPipe } from './request-validation.pipe';
import { SendNotificationDto } from './send-notification.dto';

const BODY: ArgumentMetadata = { type: 'body', metatype: SendNotificationDto };
const QUERY: ArgumentMetadata = { type: 'query', metatype: ListNotificationsQuery };

describe(RequestValidationPipe.name, () => {
  const pipe = new RequestValidationPipe();
  /** The 400's body for a value the pipe refuses. */
  const refusal = async (value: unknown, metadata: ArgumentMetadata) => {
    try {
      await pipe.transform(value, metadata);
    } catch (error) {
      if (error instanceof BadRequestException) return error.getResponse() as { message: string[] };
      throw error;
    }
    throw new Error('accepted');
  };

  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'prototype', '__lookupGetter__'])(
    'refuses an unknown field named %s, which ValidationPipe alone drops (audit 2)',
    async (name) => {
      const body = JSON.parse(`{"userIds":["u1"],"type":"t","title":"t","${name}":1}`);
      expect(await refusal(body, BODY)).toEqual({ statusCode: 400, error: 'Bad Request', message: [`property ${name} should not exist`] });
      const query = Object.assign(Object.create(null), { limit: '5', [name]: '1' });
      expect(await refusal(query, QUERY)).toMatchObject({ statusCode: 400, message: [`property ${name} should not exist`] });
    },
  );

  it('refuses a value nested deeper than 32 levels before anything walks it (audit 3)', async () => {
    const deep = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    const tooDeep = 'must not nest objects and arrays more than 32 levels deep';
    expect(await refusal({ type: 't', title: 't', userIds: deep(30_000) }, BODY)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: `The body ${tooDeep}`,
    });
    expect((await refusal({ type: 't', title: 't', sneaky: deep(31) }, BODY)).message).toEqual(['property sneaky should not exist']);
    expect((await refusal({ limit: deep(40) }, QUERY)).message).toBe(`The query ${tooDeep}`);
  });

  it('names the unknown fields first, then what is wrong with the known ones', async () => {
    const body = JSON.parse('{"type":"Bad Type!","title":"t","toString":1,"sneaky":2}');
    expect((await refusal(body, BODY)).message).toEqual([
      'property toString should not exist',
      'property sneaky should not exist',
      'type must match [a-z0-9._-]{1,100}',
    ]);
  });

  it('leaves a value that has only known fields to ValidationPipe', async () => {
    expect(await pipe.transform({ limit: '5', unread: 'true' }, QUERY)).toEqual(
      Object.assign(new ListNotificationsQuery(), { limit: 5, unread: true }),
    );
    expect((await refusal({ limit: '500' }, QUERY)).message).toEqual(['limit must not be greater than 100']);
    expect((await refusal([1], BODY)).message).toEqual(expect.any(Array));
  });
});
