/**
 * The Mocha globals @web/test-runner provides in the browser (BDD interface), typed just enough
 * for the component tests without a @types/mocha dependency.
 */
interface MochaTestContext {
  timeout(ms: number): void;
  slow(ms: number): void;
  retries(count: number): void;
  skip(): never;
}

type MochaTestFn = (this: MochaTestContext) => void | Promise<unknown>;

declare function describe(title: string, fn: (this: MochaTestContext) => void): void;
declare function it(title: string, fn: MochaTestFn): void;
declare function before(fn: MochaTestFn): void;
declare function after(fn: MochaTestFn): void;
declare function beforeEach(fn: MochaTestFn): void;
declare function afterEach(fn: MochaTestFn): void;
