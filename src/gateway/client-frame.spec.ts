import { isFrameError, parseClientFrame } from './client-frame';
import { FrameErrorCode } from '../protocol/ws-events';

const parse = (text: string) => parseClientFrame(Buffer.from(text), false, 1000);
const A = '0190b1b2-0000-7000-8000-00000000000a';
const B = '0190b1b2-0000-7000-8000-00000000000b';

describe(parseClientFrame.name, () => {
  it('accepts the five client events', () => {
    expect(parse(`{"event":"ack","data":{"ids":["${A}","${B}"]}}`)).toEqual({ event: 'ack', data: { ids: [A, B] } });
    expect(parse(`{"event":"read","data":{"ids":["${A}"]}}`)).toEqual({ event: 'read', data: { ids: [A] } });
    expect(parse(`{"event":"seen","data":{"ids":["${B}"]}}`)).toEqual({ event: 'seen', data: { ids: [B] } });
    expect(parse('{"event":"ping"}')).toEqual({ event: 'ping', data: undefined });
    expect(parse('{"event":"refresh","data":{"token":"t"}}')).toEqual({ event: 'refresh', data: { token: 't' } });
  });

  it('accepts a frame nested 32 levels', () => {
    const data = JSON.parse(`${'['.repeat(31)}${']'.repeat(31)}`);
    expect(parse(`{"event":"ping","data":${JSON.stringify(data)}}`)).toEqual({ event: 'ping', data });
  });

  it('drops fields it does not know', () => {
    expect(parse(`{"event":"ack","data":{"ids":["${A}"],"extra":1},"more":2}`)).toEqual({ event: 'ack', data: { ids: [A] } });
  });

  it.each([
    ['not JSON', 'nope', FrameErrorCode.NotJson],
    ['a JSON string', '"ack"', FrameErrorCode.BadFrame],
    ['null', 'null', FrameErrorCode.BadFrame],
    ['an unknown event', '{"event":"x"}', FrameErrorCode.UnknownEvent],
    ['too many ids', JSON.stringify({ event: 'ack', data: { ids: Array(1001).fill(A) } }), FrameErrorCode.BadData],
    ['an id that is no UUID', JSON.stringify({ event: 'read', data: { ids: [A, 'a'] } }), FrameErrorCode.BadData],
    ['a seen without ids', JSON.stringify({ event: 'seen', data: { all: true } }), FrameErrorCode.BadData],
    ['a seen with no id', JSON.stringify({ event: 'seen', data: { ids: [] } }), FrameErrorCode.BadData],
    ['an id with a NUL byte', JSON.stringify({ event: 'ack', data: { ids: [`${A}\u0000`] } }), FrameErrorCode.BadData],
    ['a non-string token', '{"event":"refresh","data":{"token":5}}', FrameErrorCode.BadData],
    ['a frame nested 33 levels (audit 3)', `{"event":"ping","data":${'['.repeat(32)}${']'.repeat(32)}}`, FrameErrorCode.BadFrame],
    ['a frame nested 20,000 levels', `{"event":"ack","data":${'['.repeat(20000)}${']'.repeat(20000)}}`, FrameErrorCode.BadFrame],
  ])('refuses %s', (_, text, code) => {
    const parsed = parse(text);
    expect(isFrameError(parsed) && parsed.code).toBe(code);
  });

  it('refuses binary frames', () => {
    const parsed = parseClientFrame(Buffer.from('{"event":"ping"}'), true, 1000);
    expect(isFrameError(parsed) && parsed.code).toBe(FrameErrorCode.BadFrame);
  });
});
