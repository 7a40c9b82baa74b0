import { domainEventName, NOTIFY_ON_METADATA, NotifyOn } from './notify-on.decorator';

class Named {
  static readonly eventName = 'orders.named';
}
class Plain {}

describe(NotifyOn.name, () => {
  it('names an event by its static eventName, else its class name', () => {
    expect(domainEventName(Named)).toBe('orders.named');
    expect(domainEventName(Plain)).toBe('Plain');
  });

  it('records every binding of a method, with an explicit name winning', () => {
    class Mappings {
      @NotifyOn(Named)
      @NotifyOn(Plain, { event: 'custom.name' })
      map() {
        return null;
      }
    }
    const bindings = Reflect.getMetadata(NOTIFY_ON_METADATA, Mappings.prototype.map);
    expect(bindings.map((binding: { eventName: string }) => binding.eventName).sort()).toEqual(['custom.name', 'orders.named']);
  });
});
