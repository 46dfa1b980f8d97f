// Delivers events to the functions as AWS would, by invoking their handlers in-process with the
// exact event shapes of events/. Every delivery and its result is kept for the timeline and tests.
export type Route = 'artifact-uploaded' | 'approval-decided' | 'deployment-finished' | 'source-pushed';

type Runner = (event: unknown) => Promise<unknown>;

export interface Delivery {
  route: Route;
  event: unknown;
  result?: unknown;
  error?: string;
  at: number;
}

export class Router {
  readonly deliveries: Delivery[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly listeners: ((d: Delivery) => void)[] = [];

  constructor(private readonly routes: Partial<Record<Route, () => Promise<Runner>>>) {}

  has(route: Route): boolean {
    return Boolean(this.routes[route]);
  }

  onDelivery(listener: (d: Delivery) => void): void {
    this.listeners.push(listener);
  }

  /** Invokes the route's handler; like an async Lambda invocation, a failure is recorded, not thrown. */
  deliver(route: Route, event: unknown): Promise<unknown> {
    const load = this.routes[route];
    if (!load) return Promise.resolve(undefined);
    const delivery: Delivery = { route, event, at: Date.now() };
    const work = (async () => {
      try {
        delivery.result = await (await load())(event);
      } catch (error) {
        delivery.error = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
      }
      this.deliveries.push(delivery);
      for (const l of this.listeners) l(delivery);
      return delivery.result;
    })();
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  /** Records an event that never reached its handler (an unreadable message, say), as a failed delivery. */
  undelivered(route: Route, error: string): void {
    const delivery: Delivery = { route, event: undefined, error, at: Date.now() };
    this.deliveries.push(delivery);
    for (const l of this.listeners) l(delivery);
  }

  /** Resolves when nothing is being delivered. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
