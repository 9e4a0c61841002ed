import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { GraphClient } from "../../src/graph/graphClient";
import fs from "node:fs";
import path from "node:path";
import { GraphPeople, PlaygroundPeople } from "../../src/graph/people";
import { projectRoot } from "../../src/kernel/paths";
import { asReflectionId, asTenantId, asUserId } from "../../src/domain/ids";
import { jonas, mette } from "../support/activities";
import { FakeGraph } from "../support/fakeGraph";
import { completeReflection } from "../support/reflectionSteps";
import { cardContent, cardText, createHarness, texts, type Harness, type TeamsChat } from "../support/teamsChat";

const metteKey = { tenantId: asTenantId(mette.tenantId), userId: asUserId(mette.aadObjectId) };

function choiceOf(card: Partial<Activity>): { reflectionIds: Record<string, unknown>; reader: Record<string, unknown>; detail: Record<string, unknown>; plan: Record<string, unknown> } {
  const body = cardContent(card).body as Array<Record<string, unknown>>;
  const by = (id: string) => body.find((b) => b.id === id)!;
  return { reflectionIds: by("reflectionIds"), reader: by("reader"), detail: by("detail"), plan: by("plan") };
}

describe("Til min leder, the sharer's handler (real bot and Cosmos; Graph faked)", () => {
  let h: Harness;
  let graph: FakeGraph;
  let chat: TeamsChat;
  let reflectionId: string;

  beforeEach(async () => {
    graph = new FakeGraph();
    await graph.start();
    graph.managers.set(mette.aadObjectId, { id: jonas.aadObjectId, displayName: "Jonas Chef" });
    h = await createHarness({ clock: () => new Date("2026-12-07T10:00:00.000Z"), people: new GraphPeople(new GraphClient(graph.baseUrl, async () => "token")) });
    await h.chatAs(jonas).install();
    chat = h.chatAs(mette);
    await completeReflection(chat, { commitment: "Min plan" });
    reflectionId = (await h.reflections.listNewestFirst(metteKey))[0]!.id;
  });
  afterEach(async () => {
    await h.close();
    await graph.stop();
  });

  it("»Ret i det valgte« shows the choice again with the leader's own ticks, and the old preview sends nothing", async () => {
    const choice = (await chat.say("del med min leder")).at(-1)!;
    const previews = await chat.click(choice, "Se forhåndsvisning", { reflectionIds: reflectionId, detail: "whole", plan: "true", days: "14" });
    const again = (await chat.click(previews.at(-1)!, "Ret i det valgte")).at(-1)!;
    const ticks = choiceOf(again);
    assert.equal(ticks.reflectionIds.value, reflectionId);
    assert.equal(ticks.detail.value, "whole");
    assert.equal(ticks.plan.value, "true");
    assert.equal(ticks.reader.value, jonas.aadObjectId);
    assert.deepEqual(texts(await chat.click(previews.at(-1)!, "Send til Jonas Chef")), ["Dette kort er allerede besvaret."]);
    assert.deepEqual(await h.shares.listForSharer(mette.tenantId, mette.aadObjectId), []);
  });

  it("When the plan changed between the preview and »Send«, shows the choice again instead of sending what was not seen", async () => {
    const choice = (await chat.say("del med min leder")).at(-1)!;
    const previews = await chat.click(choice, "Se forhåndsvisning", { reflectionIds: reflectionId, detail: "ratings", plan: "true" });
    await h.reflections.addFollowUp(metteKey, asReflectionId(reflectionId), { text: "Det gik godt", at: "2026-12-07T10:05:00.000Z" });
    const sent = await chat.click(previews.at(-1)!, "Send til Jonas Chef");
    assert.equal(texts(sent)[0], "Noget af det valgte er ændret, siden du så forhåndsvisningen. Se den nye forhåndsvisning, før du sender.");
    assert.equal(choiceOf(sent.at(-1)!).plan.value, "true");
    assert.deepEqual(await h.shares.listForSharer(mette.tenantId, mette.aadObjectId), []);
  });

  it("When Graph cannot name the picked person, the preview says so plainly, and sentences about them start with a capital letter", async () => {
    const karin = { aadObjectId: "00000000-0000-4000-8000-000000000003", tenantId: mette.tenantId, conversationId: "a:1personal-conversation-karin", name: "Karin Kollega" };
    await h.chatAs(karin).install();
    const choice = (await chat.say("del med min leder")).at(-1)!;
    const previews = await chat.click(choice, "Se forhåndsvisning", { reflectionIds: reflectionId, detail: "ratings", reader: karin.aadObjectId, days: "7" });
    const preview = cardText(cardContent(previews.at(-1)!));
    assert.ok(preview.includes("Kun **den valgte person** kan se det"), preview);
    assert.ok(preview.includes("Jeg kunne ikke slå navnet op på den, du valgte"), preview);
    await chat.click(previews.at(-1)!, "Send til den valgte person");
    assert.match(cardText(chat.current(previews.at(-1)!)), /Delt med den valgte person\nDen valgte person kan læse det til og med/);
  });

  it("refuses sharing with oneself, in plain Danish", async () => {
    const choice = (await chat.say("del med min leder")).at(-1)!;
    const answer = await chat.click(choice, "Se forhåndsvisning", { reflectionIds: reflectionId, detail: "ratings", reader: mette.aadObjectId });
    assert.deepEqual(texts(answer), ["Du kan ikke dele med dig selv. Vælg din leder eller en anden person."]);
  });

  for (const [label, arrange] of [
    ["has no manager (Graph answers 404)", (g: FakeGraph) => g.managers.clear()],
    ["is refused by Graph (403: no User.Read.All)", (g: FakeGraph) => (g.failWith = 403)],
  ] as const) {
    it(`When the leader ${label}, the card still comes, with an empty people picker`, async () => {
      arrange(graph);
      const choice = (await chat.say("del med min leder")).at(-1)!;
      assert.match(cardText(cardContent(choice)), /Skriv navnet på den person, der skal se det\./);
      assert.deepEqual(choiceOf(choice).reader.choices, []);
      assert.equal(choiceOf(choice).reader.value, "");
    });
  }

  it("keeps the choice behind a preview not yet sent in the leader's export", async () => {
    const choice = (await chat.say("del med min leder")).at(-1)!;
    await chat.click(choice, "Se forhåndsvisning", { reflectionIds: reflectionId, detail: "ratings" });
    const exported = await h.exports.collect(metteKey);
    assert.deepEqual(exported.sharing?.preview?.selection.reflectionIds, [reflectionId]);
    assert.equal(exported.sharing?.preview?.reader.name, "Jonas Chef");
    assert.deepEqual(exported.sharing?.questionsTaken, []);
  });
});

describe("Til min leder in a local run: the Agents Playground's people", () => {
  it("translates the Playground picker's Teams id into the Entra object id Teams would submit, and names the person", async () => {
    const people = new PlaygroundPeople(fs.readFileSync(path.join(projectRoot, ".m365agentsplayground.yml"), "utf8"));
    assert.equal(people.fromPicker("29:jonas-chef"), jonas.aadObjectId);
    assert.equal(people.fromPicker("28:00000000-0000-4000-8000-0000000000b0"), undefined, "the bot is nobody to share with");
    assert.equal(await people.nameOf({ tenantId: asTenantId(mette.tenantId), userId: asUserId(jonas.aadObjectId) }), "Jonas Chef");
    assert.equal(await people.managerOf(), undefined);
  });
});
