import { isFrameError, parseClientFrame } from './client-frame';
import { FrameErrorCode } from '../protocol/ws-events';

const parse = (text: string) => parseClientFrame(Buffer.from(text), false);

describe(parseClientFrame.name, () => {
  it('accepts the four client events', () => {
    expect(parse('{"event":"ack","data":{"ids":["a","b"]}}')).toEqual({ event: 'ack', data: { ids: ['a', 'b'] } });
    expect(parse('{"event":"read","data":{"ids":["a"]}}')).toEqual({ event: 'read', data: { ids: ['a'] } });
    expect(parse('{"event":"ping"}')).toEqual({ event: 'ping', data: undefined });
    expect(parse('{"event":"refresh","data":{"token":"t"}}')).toEqual({ event: 'refresh', data: { token: 't' } });
  });

  it('accepts a frame nested 32 levels', () => {
    const data = JSON.parse(`${'['.repeat(31)}${']'.repeat(31)}`);
    expect(parse(`{"event":"ping","data":${JSON.stringify(data)}}`)).toEqual({ event: 'ping', data });
  });

  it('drops fields it does not know', () => {
    expect(parse('{"event":"ack","data":{"ids":["a"],"extra":1},"more":2}')).toEqual({ event: 'ack', data: { ids: ['a'] } });
  });

  it.each([
    ['not JSON', 'nope', FrameErrorCode.NotJson],
    ['a JSON string', '"ack"', FrameErrorCode.BadFrame],
    ['null', 'null', FrameErrorCode.BadFrame],
    ['an unknown event', '{"event":"x"}', FrameErrorCode.UnknownEvent],
    ['too many ids', JSON.stringify({ event: 'ack', data: { ids: Array(1001).fill('a') } }), FrameErrorCode.BadData],
    ['an over-long id', JSON.stringify({ event: 'read', data: { ids: ['a'.repeat(256)] } }), FrameErrorCode.BadData],
    ['a non-string token', '{"event":"refresh","data":{"token":5}}', FrameErrorCode.BadData],
    ['a frame nested 33 levels (audit 3)', `{"event":"ping","data":${'['.repeat(32)}${']'.repeat(32)}}`, FrameErrorCode.BadFrame],
    ['a frame nested 20,000 levels', `{"event":"ack","data":${'['.repeat(20000)}${']'.repeat(20000)}}`, FrameErrorCode.BadFrame],
  ])('refuses %s', (_, text, code) => {
    const parsed = parse(text);
    expect(isFrameError(parsed) && parsed.code).toBe(code);
  });

  it('refuses binary frames', () => {
    const parsed = parseClientFrame(Buffer.from('{"event":"ping"}'), true);
    expect(isFrameError(parsed) && parsed.code).toBe(FrameErrorCode.BadFrame);
  });
});
