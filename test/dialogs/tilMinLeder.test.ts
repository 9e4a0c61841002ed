import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { GraphClient } from "../../src/graph/graphClient";
import { GraphPeople } from "../../src/graph/people";
import { jonas, mette, type TeamsUser } from "../support/activities";
import { FakeGraph } from "../support/fakeGraph";
import { completeReflection } from "../support/reflectionSteps";
import { cardContent, cardText, createHarness, findActions, texts, tickScheduler, type Harness, type TeamsChat } from "../support/teamsChat";

/** Someone in Mette's tenant who has not installed the app. */
const karin: TeamsUser = { aadObjectId: "00000000-0000-4000-8000-000000000003", tenantId: mette.tenantId, conversationId: "a:1personal-conversation-karin", name: "Karin Kollega" };

/** A card as it stands now in the chat (after the bot replaced it in place), to click its buttons. */
function asShown(chat: TeamsChat, card: Partial<Activity>): Partial<Activity> {
  return { ...card, attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: chat.current(card) }] };
}

/** The cards the bot sent in a turn, as text a person reads. */
const cardsText = (sent: Array<Partial<Activity>>) => sent.filter((a) => a.attachments?.length).map((a) => cardText(cardContent(a)));

describe("Til min leder, the whole loop in the 1:1 chats (real bot, dialogs, ShareService and Cosmos; Graph faked)", () => {
  let h: Harness;
  let graph: FakeGraph;
  let now: Date;

  beforeEach(async () => {
    graph = new FakeGraph();
    await graph.start();
    graph.managers.set(mette.aadObjectId, { id: jonas.aadObjectId, displayName: "Jonas Chef" });
    graph.users.set(karin.aadObjectId, { id: karin.aadObjectId, displayName: "Karin Kollega" });
    now = new Date("2026-12-07T10:00:00.000Z");
    h = await createHarness({ clock: () => now, people: new GraphPeople(new GraphClient(graph.baseUrl, async () => "token")) });
  });
  afterEach(async () => {
    await h.close();
    await graph.stop();
  });

  /** Mette's saved reflection (ratings 2–5, notes and answers of her own), and the receipt with »Del med min leder«. */
  async function metteReflects(chat: TeamsChat): Promise<Partial<Activity>> {
    await completeReflection(chat, { ratingFor: (i) => String(2 + i), answers: ["Mit svar om rammer", "Mit svar om drift", "Mit svar om hjælp"], commitment: "Hvis teamet spørger, så svarer jeg samme dag" });
    return asShown(chat, [...h.adapter.sent].reverse().find((a) => a.conversation?.id === mette.conversationId && JSON.stringify(a.attachments).includes("Gem refleksion"))!);
  }

  it("walks choose, preview, send, open (seen by the sharer), questions back and withdraw, asserting what each person sees", async () => {
    const chat = h.chatAs(mette);
    const jonasChat = h.chatAs(jonas);
    await jonasChat.install();
    const saved = await metteReflects(chat);

    // 1. Choose: the saved reflection's button opens the card, nothing ticked, Jonas from Graph on the picker.
    const opened = await chat.click(saved, "Del med min leder");
    const choice = opened.at(-1)!;
    const choiceText = cardText(cardContent(choice));
    assert.match(choiceText, /Ifølge Microsoft 365 er din leder \*\*Jonas Chef\*\*/);
    assert.match(choiceText, /Intet er valgt på forhånd/);
    const reflectionChoice = (cardContent(choice).body as Array<Record<string, unknown>>).find((b) => b.id === "reflectionIds") as { value: string; choices: Array<{ value: string }> };
    assert.equal(reflectionChoice.value, "");
    // Nothing ticked: a plain Danish answer, and nothing anywhere else.
    assert.deepEqual(texts(await chat.click(choice, "Se forhåndsvisning")), ["Du har ikke valgt noget at dele. Sæt kryds ved mindst én refleksion, din udvikling eller Vi-pulsen."]);

    // 2. Preview: exactly the copy, ratings only with the plan; who sees it and until when; nothing sent yet.
    const previews = await chat.click(choice, "Se forhåndsvisning", { reflectionIds: reflectionChoice.choices[0]!.value, detail: "ratings", plan: "true" });
    const preview = cardsText(previews).join("\n");
    assert.match(preview, /^Sådan ser Jonas Chef det/);
    assert.match(preview, /2 – I lav grad/);
    assert.match(preview, /Hvis teamet spørger, så svarer jeg samme dag/);
    assert.doesNotMatch(preview, /Mit svar om/, "only the ratings: no answers");
    assert.match(preview, /Kun \*\*Jonas Chef\*\* kan se det – i appen, ikke her i chatten – og kun til og med 6\.\u00a0januar 2027\./);
    assert.equal((await h.shares.listForSharer(mette.tenantId, mette.aadObjectId)).length, 0, "nothing is shared by the preview");

    // 3. Send: the preview turns into a receipt, and Jonas is told in his own chat, without the content.
    const previewCard = previews.at(-1)!;
    await chat.click(previewCard, "Send til Jonas Chef");
    assert.match(cardText(chat.current(previewCard)), /Delt med Jonas Chef\nJonas Chef kan læse det til og med 6\.\u00a0januar 2027\./);
    const notices = (await tickScheduler(h, () => undefined)).filter((p) => p.conversation.conversationId === jonas.conversationId);
    assert.equal(notices.length, 1);
    assert.match(JSON.stringify(notices[0]!.message), /Mette Leder/);
    assert.doesNotMatch(JSON.stringify(notices[0]!.message), /Hvis teamet spørger|I lav grad/, "the notice never carries the content");
    const [share] = await h.shares.listForSharer(mette.tenantId, mette.aadObjectId);
    assert.ok(share);

    // »mine delinger« before Jonas opens it.
    assert.match(cardsText(await chat.say("mine delinger"))[0]!, /Jonas Chef · Aktiv\nDelt 7\.\u00a0december 2026, kan ses til og med 6\.\u00a0januar 2027\nIkke åbnet endnu/);

    // 4. Jonas opens it: he reads what the preview showed; Mette sees when.
    now = new Date("2026-12-08T08:30:00.000Z");
    const read = await h.shares.open({ tenantId: jonas.tenantId, aadObjectId: jonas.aadObjectId }, share.id, now);
    assert.deepEqual(read?.content?.reflections[0]?.statements.map((s) => s.rating), [2, 3, 4, 5]);
    assert.equal(read?.content?.reflections[0]?.questions, undefined);
    assert.match(cardsText(await chat.say("mine delinger"))[0]!, /Åbnet første gang 8\.\u00a0december 2026 kl\. 09:30/);

    // 5. Questions back: they reach Mette's chat; she takes them along, and the next reflection opens with them.
    const asked = await h.shares.askQuestions({ tenantId: jonas.tenantId, aadObjectId: jonas.aadObjectId }, share.id, ["Hvad har du mest brug for fra mig?"], now);
    assert.ok(asked.ok);
    const questionCards = (await tickScheduler(h, () => undefined)).filter((p) => p.conversation.conversationId === mette.conversationId);
    assert.equal(questionCards.length, 1);
    const questionsCard = { id: questionCards[0]!.activityId, attachments: questionCards[0]!.message.attachments } as Partial<Activity>;
    assert.match(cardText(cardContent(questionsCard)), /Jonas Chef har læst det, du delte, og har spørgsmål til jeres samtale:\nHvad har du mest brug for fra mig\?/);
    assert.deepEqual(texts(await chat.click(questionsCard, findActions(cardContent(questionsCard))[0]!.title)), ["Godt. Spørgsmålene står øverst, når du begynder din næste refleksion."]);
    await chat.say("start");
    const started = await chat.click(chat.lastCard(), findActions(cardContent(chat.lastCard())).find((a) => a.data.verb === "chooseTheme")!.title, {});
    assert.ok(texts(started).includes("Spørgsmål fra Jonas Chef til jeres samtale, som du tog med:\n\n- Hvad har du mest brug for fra mig?"), texts(started).join(" | "));
    // »mine delinger« works in the middle of a reflection, and lists the questions with the share.
    const list = (await chat.say("mine delinger")).at(-1)!;
    assert.match(cardText(cardContent(list)), /1 spørgsmål til jeres samtale\n• Hvad har du mest brug for fra mig\?/);

    // 6. Withdraw: at once; the list says so, Jonas can no longer read it, and his notice is re-drawn without it.
    const withdrawn = await chat.click(list, "Træk tilbage");
    assert.deepEqual(texts(withdrawn), ["Trukket tilbage. Jonas Chef kan ikke længere se det, du delte."]);
    assert.match(cardText(chat.current(list)), /Jonas Chef · Trukket tilbage\nDelt 7\.\u00a0december 2026, sluttede 8\.\u00a0december 2026/);
    assert.doesNotMatch(JSON.stringify(chat.current(list)), /Træk tilbage"/, "an ended share has no button to withdraw it");
    assert.equal(await h.shares.open({ tenantId: jonas.tenantId, aadObjectId: jonas.aadObjectId }, share.id, now), undefined);
    await tickScheduler(h, () => undefined);
    const redrawn = h.proactive.updated.filter((u) => u.conversation.conversationId === jonas.conversationId).at(-1);
    assert.ok(redrawn && !JSON.stringify(redrawn.message).includes("Mette Leder"), "Jonas's notice no longer names the share");
  });

  it("When the reader erases their data, their questions leave the sharer's chat too: the card they came on and the message that brought them into a reflection", async () => {
    const chat = h.chatAs(mette);
    const jonasChat = h.chatAs(jonas);
    await jonasChat.install();
    const saved = await metteReflects(chat);
    const choice = (await chat.click(saved, "Del med min leder")).at(-1)!;
    const reflectionChoice = (cardContent(choice).body as Array<Record<string, unknown>>).find((b) => b.id === "reflectionIds") as { choices: Array<{ value: string }> };
    const previews = await chat.click(choice, "Se forhåndsvisning", { reflectionIds: reflectionChoice.choices[0]!.value, detail: "ratings" });
    await chat.click(previews.at(-1)!, "Send til Jonas Chef");
    await tickScheduler(h, () => undefined);
    const [share] = await h.shares.listForSharer(mette.tenantId, mette.aadObjectId);
    assert.ok((await h.shares.askQuestions({ tenantId: jonas.tenantId, aadObjectId: jonas.aadObjectId }, share!.id, ["Hvad skal vi tale om først?"], now)).ok);
    const [posted] = (await tickScheduler(h, () => undefined)).filter((p) => p.conversation.conversationId === mette.conversationId);
    const questionsCard = { id: posted!.activityId, attachments: posted!.message.attachments } as Partial<Activity>;
    await chat.click(questionsCard, findActions(cardContent(questionsCard))[0]!.title);
    await chat.say("start");
    const started = await chat.click(chat.lastCard(), findActions(cardContent(chat.lastCard())).find((a) => a.data.verb === "chooseTheme")!.title, {});
    const brought = started.find((a) => String(a.text).includes("Hvad skal vi tale om først?"));
    assert.ok(brought?.id, "the questions open the next reflection");

    await jonasChat.say("slet mine data");
    await jonasChat.click(jonasChat.lastCard(), "Ja, slet alt");
    await tickScheduler(h, () => undefined);
    // Drawn again in Mette's chat, now or by delivery: by the ids Teams gave the two messages.
    const drawnAgain = (id: string | undefined) => h.proactive.updated.filter((u) => u.activityId === id).map((u) => JSON.stringify(u.message));
    assert.equal(drawnAgain(brought.id).length, 1, "the message that brought the questions is drawn again");
    assert.equal(drawnAgain(questionsCard.id).length, 1, "and so is the card they came on");
    for (const now of [...drawnAgain(brought.id), ...drawnAgain(questionsCard.id)]) assert.doesNotMatch(now, /Hvad skal vi tale om først\?|Jonas Chef/);
  });

  it("When the chosen person has not installed the app, the sharer is told plainly and nothing is sent", async () => {
    const chat = h.chatAs(mette);
    await metteReflects(chat);
    const choice = (await chat.say("del med min leder")).at(-1)!;
    const reflectionId = ((cardContent(choice).body as Array<Record<string, unknown>>).find((b) => b.id === "reflectionIds") as { choices: Array<{ value: string }> }).choices[0]!.value;
    const previews = await chat.click(choice, "Se forhåndsvisning", { reflectionIds: reflectionId, detail: "whole", reader: karin.aadObjectId });
    assert.match(cardsText(previews)[0]!, /^Sådan ser Karin Kollega det/);
    const sent = await chat.click(previews.at(-1)!, "Send til Karin Kollega");
    assert.deepEqual(texts(sent), ["Karin Kollega har ikke Lederrefleksion i Teams endnu, så jeg har ikke sendt noget. Bed Karin Kollega om at installere appen, og send det så igen."]);
    assert.deepEqual(await h.shares.listForSharer(mette.tenantId, mette.aadObjectId), []);
    assert.deepEqual(await tickScheduler(h, () => undefined), []);
  });

  it("refuses a reflection id that is not the leader's own, and a second click on »Send«, without sharing anything", async () => {
    const chat = h.chatAs(mette);
    await h.chatAs(jonas).install();
    await metteReflects(chat);
    const choice = (await chat.say("del med min leder")).at(-1)!;
    const forged = await chat.click(choice, "Se forhåndsvisning", { reflectionIds: "someone-elses-reflection", detail: "whole" });
    assert.deepEqual(texts(forged), ["En af de valgte refleksioner findes ikke længere hos dig. Intet er sendt – skriv **del med min leder** for at vælge igen."]);
    const reflectionId = ((cardContent(choice).body as Array<Record<string, unknown>>).find((b) => b.id === "reflectionIds") as { choices: Array<{ value: string }> }).choices[0]!.value;
    const previews = await chat.click(choice, "Se forhåndsvisning", { reflectionIds: reflectionId, detail: "ratings" });
    await chat.click(previews.at(-1)!, "Send til Jonas Chef");
    assert.deepEqual(texts(await chat.click(previews.at(-1)!, "Send til Jonas Chef")), ["Dette kort er allerede besvaret."]);
    assert.equal((await h.shares.listForSharer(mette.tenantId, mette.aadObjectId)).length, 1);
  });
});
