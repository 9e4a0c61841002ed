import { embeddedCosmos, STRICT_PAGES } from "./rootHooks";
import { StrictCosmos } from "./strictCosmos";
import { createHarness, type Harness } from "./teamsChat";

/** The real bot on a TestAdapter whose Cosmos requests pass through a strict double of its own, to inject faults into; close() stops both. */
export async function harnessBehindFaultyCosmos(options: { requestTimeoutMs?: number } = {}): Promise<{ h: Harness; cosmos: StrictCosmos; close(): Promise<void> }> {
  const cosmos = new StrictCosmos(embeddedCosmos().endpoint, STRICT_PAGES);
  await cosmos.start();
  const h = await createHarness({ cosmosEndpoint: cosmos.endpoint, ...(options.requestTimeoutMs ? { cosmosRequestTimeoutMs: options.requestTimeoutMs } : {}) });
  return {
    h,
    cosmos,
    close: async () => {
      await h.close();
      await cosmos.stop();
    },
  };
}
