import { encodeFrame, NotificationFrameTemplate } from './ws-events';

describe(NotificationFrameTemplate.name, () => {
  it('produces exactly the frame JSON.stringify would, for any recipient cursor', () => {
    const content = {
      id: 'id-"quoted"',
      type: 'x.y',
      title: '<script>alert(1)</script> 🎉 \u0000',
      body: null,
      data: { nested: ['a', { b: 1 }] },
      priority: 'high' as const,
      topic: null,
      createdAt: '2026-11-23T00:00:00.000Z',
      expiresAt: null,
      critical: false,
    };
    const template = new NotificationFrameTemplate(content);
    const { id, ...rest } = content;
    for (const cursor of ['1', '9007199254740991']) {
      const expected = encodeFrame('notification', { ...content, cursor, deliveredAt: null, readAt: null, snoozedUntil: null });
      expect(JSON.parse(template.forCursor(cursor))).toEqual(JSON.parse(expected));
      expect(template.forCursor(cursor)).toBe(
        JSON.stringify({ event: 'notification', data: { id, cursor, ...rest, deliveredAt: null, readAt: null, snoozedUntil: null } }),
      );
    }
  });
});
