import { encodeFrame, NotificationFrameTemplate } from './ws-events';

describe(NotificationFrameTemplate.name, () => {
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
    actions: [{ id: 'approve', label: 'Approve "now"', url: null, style: 'primary' as const }],
    groupKey: 'thread-1',
  };
  const fresh = { deliveredAt: null, readAt: null, seenAt: null, archivedAt: null, snoozedUntil: null, actionId: null, actionedAt: null };

  it('produces exactly the frame JSON.stringify would, for any recipient cursor', () => {
    const template = new NotificationFrameTemplate(content);
    const { id, ...rest } = content;
    for (const cursor of ['1', '9007199254740991']) {
      const expected = encodeFrame('notification', { ...content, cursor, ...fresh, groupCount: 1, replaces: null });
      expect(JSON.parse(template.forCursor(cursor))).toEqual(JSON.parse(expected));
      expect(template.forCursor(cursor)).toBe(
        JSON.stringify({ event: 'notification', data: { id, cursor, ...rest, ...fresh, groupCount: 1, replaces: null } }),
      );
    }
  });

  it("gives a grouped send's recipient their own groupCount and replaced id", () => {
    const template = new NotificationFrameTemplate(content);
    const frame = JSON.parse(template.forCursor('7', { groupCount: 3, replaces: 'old-id' }));
    expect(frame.data).toEqual({ ...content, cursor: '7', ...fresh, groupCount: 3, replaces: 'old-id' });
    expect(JSON.parse(template.forCursor('8')).data).toMatchObject({ groupCount: 1, replaces: null });
  });
});
