import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { partitionKeyOf } from "../../src/domain/identity";
import { asTenantId, asUserId } from "../../src/domain/ids";
import { mette, teamsActivity, type TeamsUser } from "../support/activities";
import { answerAll, ratingInputs, startReflection } from "../support/reflectionSteps";
import { harnessBehindFaultyCosmos } from "../support/faultyCosmos";
import type { StrictCosmos } from "../support/strictCosmos";
import { cardContent, findActions, inputValues, type Harness } from "../support/teamsChat";

const RUNS = 50;

describe("erasure racing a save (TestAdapter, embedded Cosmos, transactional batch and tombstone)", function () {
  this.timeout(120_000);
  let h: Harness;
  let close: () => Promise<void>;
  before(async () => {
    let cosmos: StrictCosmos;
    ({ h, cosmos, close } = await harnessBehindFaultyCosmos());
    // A few milliseconds of random latency per Cosmos request, so the two turns interleave
    // differently from run to run, as they do across the network to a real account.
    cosmos.latencyMs = () => Math.floor(Math.random() * 6);
  });
  after(() => close());

  it(`leaves nothing of the user, in every one of ${RUNS} runs, whichever turn gets there first`, async () => {
    const outcomes = { savedThenErased: 0, erasedBeforeSave: 0 };
    for (let run = 0; run < RUNS; run += 1) {
      const user: TeamsUser = { aadObjectId: `00000000-0000-4000-8000-${String(9000 + run).padStart(12, "0")}`, tenantId: mette.tenantId, conversationId: `a:race-${run}` };
      const chat = h.chatAs(user);
      const statements = await startReflection(chat, "chef");
      await chat.click(statements, "Næste", ratingInputs(statements, "3"));
      await answerAll(chat, ["a", "b", "c"]);
      const summary = chat.lastCard();
      await chat.say("slet mine data");
      const confirm = chat.lastCard();

      const click = (card: Partial<Activity>, title: string, inputs: Record<string, unknown> = {}) => {
        const action = findActions(cardContent(card)).find((a) => a.title === title)!;
        const value = { ...inputValues(cardContent(card)), ...action.data, ...inputs };
        return h.adapter.processActivity(teamsActivity("personal-message", user, { text: undefined, value, replyToId: card.id }) as Partial<Activity>);
      };
      // Both clicks arrive at the same moment; the order between them varies from run to run.
      const first = run % 2 === 0 ? click(summary, "Gem refleksion", { commitment: "Hvis …, så vil jeg …", followUpDate: "2026-12-01" }) : click(confirm, "Ja, slet alt");
      const second = run % 2 === 0 ? click(confirm, "Ja, slet alt") : click(summary, "Gem refleksion", { commitment: "Hvis …, så vil jeg …", followUpDate: "2026-12-01" });
      await Promise.all([first, second]);

      const key = { tenantId: asTenantId(user.tenantId), userId: asUserId(user.aadObjectId) };
      const { resources: left } = await h.store.containers.userData.items
        .query({ query: "SELECT c.id, c.type FROM c WHERE c.pk = @pk", parameters: [{ name: "@pk", value: partitionKeyOf(key) }] })
        .fetchAll();
      const { resources: queued } = await h.store.containers.outbox.items
        .query({ query: "SELECT c.id FROM c WHERE c.ownerPk = @pk", parameters: [{ name: "@pk", value: partitionKeyOf(key) }] })
        .fetchAll();
      assert.deepEqual([...left, ...queued], [], `run ${run}: something survived the erasure`);
      const said = h.adapter.sent.filter((a) => a.conversation?.id === user.conversationId).map((a) => a.text ?? "").join(" ");
      if (/Alt er slettet: 1 refleksion/.test(said)) outcomes.savedThenErased += 1;
      else outcomes.erasedBeforeSave += 1;
    }
    process.stdout.write(`      ${RUNS} races: ${outcomes.savedThenErased} saved then erased, ${outcomes.erasedBeforeSave} erased before the save\n`);
  });
});
