import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { asReflectionId, asTenantId, asUserId } from "../../src/domain/ids";
import { exportMarkdown } from "../../src/cards/exportDocument";
import { partitionKeyOf } from "../../src/domain/identity";
import { jonas, mette, teamsActivity, type TeamsUser } from "../support/activities";
import { cardContent, cardText, createHarness, inputIds, texts, type Harness } from "../support/teamsChat";
import { answerAll, chooseTheme, completeReflection, rate, onlyReflection, ratingInputs, startReflection, tokenOf } from "../support/reflectionSteps";

/** The position of a theme's button on the theme card just shown (the suggested one may come first). */
function themeIndexOf(chat: { lastCard(): Partial<Activity> }, themeId: string): number {
  const ids = [...new Set((JSON.stringify(cardContent(chat.lastCard())).match(/"themeId":"[a-z-]+"/g) ?? []).map((m) => m.split(":")[1]!.replace(/"/g, "")))];
  return ids.indexOf(themeId);
}

const CHEF_USER: TeamsUser = { ...jonas };

describe("guided reflection in a personal chat (TestAdapter, real dialogs, embedded Cosmos)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  it("stores a leader of leaders' full reflection with the source questions and the exact texts", async () => {
    const chat = h.chatAs(mette);
    const statements = await startReflection(chat, "leder-af-leder");
    assert.match(cardText(cardContent(statements)), /Trin 1 af 3/);
    await chat.click(statements, "Næste", { ...ratingInputs(statements, "4"), "note:drift.leder-af-leder.2": "Budgettet holder" });
    // All rated 4: the reflection goes deeper on the one with a note, and asks about the first other as a strength.
    const focus = cardText(cardContent(chat.lastCard()));
    assert.match(focus, /Et spadestik dybere\nDu satte dig selv til 4 på »Jeg sikrer, at budgettet overholdes i forhold til det udmeldte serviceniveau«\. Hvad gør, at det ikke er lavere\? Og hvad skulle der til for at komme et trin op\?/);
    assert.match(focus, /Du satte dig selv til 4 på »Jeg skaber rammerne for, at mit lederteam har de rigtige faglige og ledelsesmæssige kompetencer«\. Hvad gør du dér, som du kan bruge mere af andre steder\?/);
    await chat.click(chat.lastCard(), "Næste", { focusDeeper: "Vi følger op hver måned", focusStrength: "" });
    assert.match(cardText(cardContent(chat.lastCard())), /Spørgsmål 1 af 3/);
    await answerAll(chat, ["Sparring hver uge", "Fastholde tavlemøder", "Økonomiafdelingen"]);
    await chat.click(chat.lastCard(), "Gem refleksion", { commitment: "Tage kompetencer op i lederteamet", followUpDate: "2026-12-15" });

    const stored = await onlyReflection(h, mette);
    const expectedStatements = h.framework.statements("drift" as never, "leder-af-leder" as never);
    assert.equal(stored.roleId, "leder-af-leder");
    assert.equal(stored.themeId, "drift");
    assert.equal(stored.contentVersion, h.framework.contentVersion);
    assert.deepEqual(stored.statements.map((s) => s.text), expectedStatements.map((s) => s.text));
    assert.deepEqual(stored.statements.map((s) => s.rating), [4, 4, 4, 4]);
    assert.equal(stored.statements[1]?.note, "Budgettet holder");
    assert.deepEqual(stored.questions.map((q) => q.text), [
      "Hvordan skaber du rammerne for, at dit lederteam har de rigtige faglige og ledelsesmæssige kompetencer?",
      "Hvad skal du blive ved med at gøre for at sikre kvalitet i driften?",
      "Hvad har du brug for fra andre for at kunne sikre kvalitet i kerneopgaven? Hvem kan hjælpe dig?",
    ]);
    assert.deepEqual(stored.questions.map((q) => q.answer), ["Sparring hver uge", "Fastholde tavlemøder", "Økonomiafdelingen"]);
    assert.equal(stored.commitment, "Tage kompetencer op i lederteamet");
    assert.equal(stored.followUpDate, "2026-12-15");
    assert.equal(stored.tenantId, mette.tenantId);
    assert.equal(stored.userId, mette.aadObjectId);
    assert.equal(stored.sharedStatements.length, 3);
    assert.deepEqual(
      [stored.focus?.deeper.statementId, stored.focus?.deeper.rating, stored.focus?.deeper.answer, stored.focus?.strength?.statementId, stored.focus?.strength?.answer],
      ["drift.leder-af-leder.2", 4, "Vi følger op hver måned", "drift.leder-af-leder.1", null],
    );
    // The focus is in the export and in "historik", as it was asked.
    const markdown = exportMarkdown(await h.exports.collect({ tenantId: asTenantId(mette.tenantId), userId: asUserId(mette.aadObjectId) }));
    assert.match(markdown, /\*Du satte dig selv til 4 på »Jeg sikrer, at budgettet overholdes[^*]+\*\n\n> Vi følger op hver måned/);
    await chat.say("historik");
    await chat.click(chat.lastCard(), "Åbn refleksion");
    assert.match(cardText(cardContent(chat.lastCard())), /Du satte dig selv til 4 på »Jeg sikrer, at budgettet overholdes[^\n]+\nVi følger op hver måned/);
  });

  it("opens the next reflection on a theme with the last ratings, goes deeper where a rating dropped, and shows the change", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat, { roleId: "leder-af-leder", ratingFor: (i) => (i === 0 ? "2" : "4"), commitment: "Hvis budgettet skrider, så vil jeg tage det op på ledermødet", followUpDate: "2026-12-01" });
    await chat.say("start");
    const statements = await chooseTheme(chat, themeIndexOf(chat, "drift"));
    const shown = cardText(cardContent(statements));
    assert.match(shown, /Sidst skrev du: »Hvis budgettet skrider, så vil jeg tage det op på ledermødet« Hvordan gik det\?\nHvordan gik det\? \(valgfrit\)\n\nGjort\ndone\nDelvist\npartly\nIkke endnu\nnotYet/);
    assert.match(shown, /Jeg skaber rammerne for[^\n]*\nSidst: 2 \([^)]+\)/);
    assert.match(shown, /Jeg sikrer, at budgettet overholdes[^\n]*\nSidst: 4/);
    // The first and the third both at 2 now: the third fell from 4, so that is where it goes deeper.
    await chat.click(statements, "Næste", { ...ratingInputs(statements, "4"), "rating:drift.leder-af-leder.1": "2", "rating:drift.leder-af-leder.3": "2", lastPlan: "partly", lastPlanNote: "Kun én gang" });
    assert.match(cardText(cardContent(chat.lastCard())), /Du satte dig selv til 2 på »Jeg er ansvarlig for, at lovgivningen/);
    await answerAll(chat, ["a", "b", "c"]);
    const summary = cardText(cardContent(chat.lastCard()));
    assert.match(summary, /2 – I lav grad – som sidst/);
    assert.match(summary, /2 – I lav grad – lavere end sidst \(4\)/);
    assert.match(summary, /Du kan tage udgangspunkt i »Jeg er ansvarlig for, at lovgivningen[^«]*«, hvor du satte dig selv til 2\./);
    await chat.click(chat.lastCard(), "Gem refleksion");

    // How the plan went is the earlier reflection's follow-up, and its follow-up card does not ask again.
    const earlier = (await h.reflections.listNewestFirst({ tenantId: asTenantId(mette.tenantId), userId: asUserId(mette.aadObjectId) })).find((r) => r.commitment?.startsWith("Hvis budgettet"));
    assert.deepEqual(earlier?.followUps?.map((f) => [f.text, f.outcome]), [["Delvist: Kun én gang", "partly"]]);
    const followUp = (await h.schedules.forOwner(partitionKeyOf({ tenantId: asTenantId(mette.tenantId), userId: asUserId(mette.aadObjectId) }))).find((s) => s.kind === "follow-up")!;
    assert.deepEqual(await h.personalNudges.compose(followUp, new Date("2026-12-01T08:00:00.000Z")), { kind: "skip", reason: "how the plan went is already recorded" });
    // "historik" shows both ends, not only the average.
    await chat.say("historik");
    assert.match(cardText(cardContent(chat.lastCard())), /Lavest: »Jeg skaber rammerne for, at mit lederteam[^«]*« \(2\) · Højest: »Jeg sikrer, at budgettet[^«]*« \(4\)/);
    // And the next reflection on the theme asks about no plan: the last one made none.
    await chat.say("start");
    await chooseTheme(chat, themeIndexOf(chat, "drift"));
    assert.doesNotMatch(cardText(cardContent(chat.lastCard())), /Sidst skrev du/);
  });

  it("does a short reflection: the ratings, the focus and the plan, without the framework's questions, stored and listed as short", async () => {
    const chat = h.chatAs(mette);
    await chat.install();
    await chat.click(chat.lastCard(), "Vælg rolle", { roleId: "leder-af-leder" });
    assert.match(cardText(cardContent(chat.lastCard())), /En kort refleksion er kun vurderinger, et spadestik dybere og din plan/);
    await chat.click(chat.lastCard(), "Kort refleksion");
    const statements = chat.lastCard();
    assert.match(cardText(cardContent(statements)), /Trin 1 af 2 · Udsagn/);
    // Næste with nothing rated: the card says why it cannot go on, in words.
    assert.match(texts(await chat.click(statements, "Næste")).join("\n"), /vurdering/i);
    await chat.click(statements, "Næste", ratingInputs(statements, "3"));
    assert.match(cardText(cardContent(chat.lastCard())), /Et spadestik dybere/);
    await chat.click(chat.lastCard(), "Næste", { focusDeeper: "Kort svar" });
    assert.match(cardText(cardContent(chat.lastCard())), /Trin 2 af 2 · Kort refleksion · Opsummering/);
    await chat.click(chat.lastCard(), "Gem refleksion", { commitment: "Hvis X, så vil jeg Y" });
    const stored = await onlyReflection(h, mette);
    assert.equal(stored.short, true);
    assert.deepEqual(stored.questions, []);
    assert.equal(stored.focus?.deeper.answer, "Kort svar");
    await chat.say("historik");
    assert.match(cardText(cardContent(chat.lastCard())), /kort refleksion/);

    // "Kort refleksion (3 min.)" on a reminder: the theme is chosen as usual, and the reflection is short.
    await chat.submit({ id: "reminder" }, { verb: "startReflection", short: "true" });
    await chooseTheme(chat, 1);
    assert.match(cardText(cardContent(chat.lastCard())), /Trin 1 af 2 · Udsagn/);
  });

  it("shows a short reflection only the steps it had: its summary, the copy of its ratings and its copy in historik", async () => {
    const chat = h.chatAs(mette);
    await chat.install();
    await chat.click(chat.lastCard(), "Vælg rolle", { roleId: "leder-af-leder" });
    await chat.click(chat.lastCard(), "Kort refleksion");
    const statements = chat.lastCard();
    const themeId = /"themeId":"([a-z-]+)"/.exec(JSON.stringify(cardContent(statements)))![1]!;
    const frameworkQuestions = h.framework.questions(themeId as never, "leder-af-leder" as never, "lederen").map((q) => q.text);
    assert.ok(frameworkQuestions.length > 0);
    const neverAsked = (text: string) => frameworkQuestions.filter((q) => text.includes(q));

    await chat.click(statements, "Næste", ratingInputs(statements, "3"));
    // The read-only copy of the ratings counts the short reflection's own two steps.
    const ratingsCopy = cardText(chat.current(statements));
    assert.match(ratingsCopy, /Trin 1 af 2 er besvaret/);
    assert.doesNotMatch(ratingsCopy, /af 3/);
    const focus = chat.lastCard();
    await chat.click(focus, "Næste", { focusDeeper: "Kort svar", ...(inputIds(cardContent(focus)).includes("focusStrength") ? { focusStrength: "Det, der virker" } : {}) });

    const summary = cardText(cardContent(chat.lastCard()));
    assert.match(summary, /Trin 2 af 2 · Kort refleksion · Opsummering/);
    assert.match(summary, /Kort svar/);
    assert.doesNotMatch(summary, /Sprunget over/);
    assert.deepEqual(neverAsked(summary), []);
    await chat.click(chat.lastCard(), "Gem refleksion", { commitment: "Hvis X, så vil jeg Y" });

    await chat.say("historik");
    await chat.click(chat.lastCard(), "Åbn refleksion");
    const detail = cardText(cardContent(chat.lastCard()));
    assert.match(detail, /kort refleksion/);
    assert.match(detail, /Kort svar/);
    assert.doesNotMatch(detail, /Sprunget over/);
    assert.deepEqual(neverAsked(detail), []);
  });

  it("gives a chef the fallback prompts and stores them as asked", async () => {
    const chat = h.chatAs(CHEF_USER);
    const statements = await startReflection(chat, "chef", 1);
    await rate(chat, statements, ratingInputs(statements, "3"));
    assert.match(cardText(cardContent(chat.lastCard())), /Hvor lykkes du med temaet i dag\? Giv et konkret eksempel\./);
    await answerAll(chat, ["Et eksempel", "Mere sparring", "Min direktør"]);
    await chat.click(chat.lastCard(), "Gem refleksion");

    const stored = await onlyReflection(h, CHEF_USER);
    assert.equal(stored.themeId, "resultater");
    assert.equal(stored.statements.length, 3);
    assert.ok(stored.questions.every((q) => q.isFallback));
    assert.equal(stored.questions[0]?.text, "Hvor lykkes du med temaet i dag? Giv et konkret eksempel.");
    assert.equal(stored.commitment, null);
    assert.equal(stored.followUpDate, null);
  });

  it("replaces a submitted card in place with a read-only copy of the answer", async () => {
    const chat = h.chatAs(mette);
    const statements = await startReflection(chat, "leder-af-leder");
    await rate(chat, statements, ratingInputs(statements, "5"));
    const replaced = chat.current(statements);
    assert.deepEqual(inputIds(replaced), [], "the replacement has no inputs");
    assert.match(cardText(replaced), /5 – I meget høj grad/);
  });

  it("answers a second click on the same card with 'Dette kort er allerede besvaret' and stores one reflection", async () => {
    const chat = h.chatAs(mette);
    const statements = await startReflection(chat, "leder-af-leder");
    await rate(chat, statements, ratingInputs(statements, "2"));
    const again = await chat.click(statements, "Næste", ratingInputs(statements, "5"));
    assert.deepEqual(texts(again), ["Dette kort er allerede besvaret."]);

    await answerAll(chat, ["a", "b", "c"]);
    const summary = chat.lastCard();
    await chat.click(summary, "Gem refleksion");
    const second = await chat.click(summary, "Gem refleksion");
    assert.deepEqual(texts(second), ["Dette kort er allerede besvaret."]);
    const stored = await onlyReflection(h, mette);
    assert.deepEqual(stored.statements.map((s) => s.rating), [2, 2, 2, 2]);
  });

  it("stores one reflection when the same save arrives twice at the same moment", async () => {
    const chat = h.chatAs(mette);
    const statements = await startReflection(chat, "leder-af-leder");
    await rate(chat, statements, ratingInputs(statements, "3"));
    await answerAll(chat, ["a", "b", "c"]);
    const summary = chat.lastCard();
    const [first, second] = await Promise.all([chat.click(summary, "Gem refleksion"), chat.click(summary, "Gem refleksion")]);
    const all = [...texts(first), ...texts(second)];
    assert.equal(all.filter((t) => t === "Dette kort er allerede besvaret.").length, 1, all.join(" | "));
    await onlyReflection(h, mette);
  });

  describe("a tampered submit is refused in Danish and stores nothing", () => {
    const tamperings: Array<[string, (card: Partial<Activity>, inputs: Record<string, string>) => Record<string, unknown>, RegExp]> = [
      ["an unknown statement id", (card, inputs) => ({ ...inputs, "rating:drift.chef.1": "3" }), /udsagn, der ikke hører til/],
      ["a rating of 9", (card, inputs) => ({ ...inputs, "rating:drift.leder-af-leder.1": "9" }), /skal være et af tallene på skalaen/],
      ["another theme", (card, inputs) => ({ ...inputs, themeId: "resultater" }), /passer ikke til din refleksion/],
      ["another role", (card, inputs) => ({ ...inputs, roleId: "direktoer" }), /passer ikke til din refleksion/],
      ["an unknown verb", (card, inputs) => ({ ...inputs, verb: "deleteEverything" }), /kunne ikke læse svaret/],
    ];
    for (const [what, tamper, message] of tamperings) {
      it(`with ${what}`, async () => {
        const chat = h.chatAs(mette);
        const statements = await startReflection(chat, "leder-af-leder");
        const honest = { verb: "next", token: tokenOf(statements), step: "statements", themeId: "drift", roleId: "leder-af-leder", ...ratingInputs(statements, "4") };
        const replies = await chat.submit(statements, tamper(statements, honest) as Record<string, unknown>);
        assert.match(texts(replies).join("\n"), message);
        assert.equal(h.adapter.updates.filter((u) => u.id === statements.id).length, 0, "the card was not replaced");
        // The honest submit still works afterwards: nothing was half-applied.
        await chat.submit(statements, honest);
        assert.match(cardText(cardContent(chat.lastCard())), /Et spadestik dybere/);
      });
    }

    it("with a 50 kB answer", async () => {
      const chat = h.chatAs(mette);
      const statements = await startReflection(chat, "leder-af-leder");
      await rate(chat, statements, ratingInputs(statements, "4"));
      const replies = await chat.click(chat.lastCard(), "Næste", { answer: "x".repeat(50_000) });
      assert.match(texts(replies).join("\n"), /for lang: højst 4000 tegn/);
      assert.match(cardText(cardContent(chat.lastCard())), /Spørgsmål 1 af 3/);
      await answerAll(chat, ["kort", "b", "c"]);
      await chat.click(chat.lastCard(), "Gem refleksion");
      assert.equal((await onlyReflection(h, mette)).questions[0]?.answer, "kort");
    });
  });

  it("keeps an answer with emoji, Danish letters and line breaks exactly", async () => {
    const answer = "Æblet faldt – ø og å 😀👍\nLinje to\n\nAfsnit tre: «citat» & <tag>";
    const chat = h.chatAs(mette);
    const statements = await startReflection(chat, "leder-af-leder");
    await rate(chat, statements, ratingInputs(statements, "4"));
    await answerAll(chat, [answer, "b", "c"]);
    await chat.click(chat.lastCard(), "Gem refleksion", { commitment: "Jeg vil øve mig 💪" });
    const stored = await onlyReflection(h, mette);
    assert.equal(stored.questions[0]?.answer, answer);
    assert.equal(stored.commitment, "Jeg vil øve mig 💪");
  });

  it("never shows or stores one user's reflection for another user", async () => {
    const metteChat = h.chatAs(mette);
    const statements = await startReflection(metteChat, "leder-af-leder");
    await rate(metteChat, statements, ratingInputs(statements, "4"));
    await answerAll(metteChat, ["mettes hemmelighed", "b", "c"]);
    await metteChat.click(metteChat.lastCard(), "Gem refleksion");
    const metteReflection = await onlyReflection(h, mette);

    // Jonas replays Mette's summary card (same token and ids) from his own chat.
    const jonasChat = h.chatAs(jonas);
    await jonasChat.install();
    const replies = await jonasChat.submit(metteChat.lastCard(), { verb: "save", token: "x", step: "summary", themeId: "drift", roleId: "leder-af-leder" });
    assert.ok(!JSON.stringify(replies).includes("mettes hemmelighed"));
    const jonasKey = { tenantId: jonas.tenantId as never, userId: jonas.aadObjectId as never };
    assert.deepEqual(await h.reflections.listNewestFirst(jonasKey), []);
    assert.equal(await h.reflections.get(jonasKey, asReflectionId(metteReflection.id)), undefined);
  });

  it("suggests the least recently reflected theme and shows when each was last reflected on", async () => {
    const chat = h.chatAs(mette);
    const statements = await startReflection(chat, "leder-af-leder", 0);
    await rate(chat, statements, ratingInputs(statements, "4"));
    await answerAll(chat, ["a", "b", "c"]);
    await chat.click(chat.lastCard(), "Gem refleksion");

    await chat.say("start");
    const themeCard = cardContent(chat.lastCard());
    const text = cardText(themeCard);
    assert.match(text, /Sammen sikrer vi driften\nSidst reflekteret 23\.\snovember 2026/);
    const suggested = (themeCard.body as Array<{ style?: string; items?: unknown }>).filter((c) => c.style === "emphasis");
    assert.equal(suggested.length, 1);
    assert.match(JSON.stringify(suggested[0]), /Sammen styrker vi resultaterne[^]*Forslag: det tema, det er længst siden, du har reflekteret over/);
  });

  it("shows help mid-reflection without losing the leader's place", async () => {
    const chat = h.chatAs(mette);
    const statements = await startReflection(chat, "leder-af-leder");
    await rate(chat, statements, ratingInputs(statements, "4"));
    const question = chat.lastCard();
    const help = await chat.say("hjælp");
    assert.match(JSON.stringify(help), /Sådan bruger du Lederrefleksion/);
    await chat.click(question, "Næste", { answer: "efter hjælpen" });
    assert.match(cardText(cardContent(chat.lastCard())), /Spørgsmål 2 af 3/);
  });

  it("goes back a step and keeps what was written", async () => {
    const chat = h.chatAs(mette);
    const statements = await startReflection(chat, "leder-af-leder");
    await rate(chat, statements, ratingInputs(statements, "4"));
    await chat.click(chat.lastCard(), "Næste", { answer: "første svar" });
    await chat.click(chat.lastCard(), "Tilbage");
    const again = cardContent(chat.lastCard());
    assert.match(cardText(again), /Spørgsmål 1 af 3/);
    assert.match(JSON.stringify(again), /"value":"første svar"/);
    await chat.click(chat.lastCard(), "Tilbage");
    assert.match(cardText(cardContent(chat.lastCard())), /Et spadestik dybere/, "the focus card comes between the questions and the ratings");
    await chat.click(chat.lastCard(), "Tilbage");
    assert.match(JSON.stringify(cardContent(chat.lastCard())), /"id":"rating:drift.leder-af-leder.1"[^}]*"value":"4"/);
  });

  it("welcomes once when the install events arrive at the same moment", async () => {
    const install = teamsActivity("personal-install", mette);
    const update = teamsActivity("personal-install", mette, { type: "conversationUpdate", action: undefined, membersAdded: [{ id: (install.recipient as { id: string }).id }] });
    await Promise.all([h.adapter.processActivity(install as never), h.adapter.processActivity(update as never)]);
    const welcomes = h.adapter.sent.filter((a) => JSON.stringify(a).includes("Velkommen til Lederrefleksion"));
    assert.equal(welcomes.length, 1);
  });

  it("lets a user change role with 'skift rolle'", async () => {
    const chat = h.chatAs(mette);
    await startReflection(chat, "leder-af-leder");
    await chat.say("annuller");
    await chat.say("skift rolle");
    await chat.click(chat.lastCard(), "Vælg rolle", { roleId: "direktoer" });
    await chat.say("start");
    assert.match(cardText(cardContent(chat.lastCard())), /Du reflekterer som direktør/);
  });

  it("says it reads text and cards when a message has neither (an image alone)", async () => {
    const chat = h.chatAs(mette);
    await startReflection(chat, "leder-af-leder");
    await chat.say("annuller");
    const replies = await chat.say(undefined as unknown as string);
    assert.deepEqual(texts(replies), ["Jeg kan kun læse tekst og svar fra mine kort. Skriv **hjælp** for at se, hvad jeg kan."]);
  });

  it("offers a guess for a misspelt or other word as a button that sends the command, and runs nothing on the guess", async () => {
    const chat = h.chatAs(mette);
    await startReflection(chat, "leder-af-leder");
    await chat.say("annuller");
    const [guess] = await chat.say("refleksoin");
    const content = cardContent(guess!);
    assert.match(cardText(content), /Jeg forstod ikke »refleksoin«\.\nMente du »Start refleksion«\?/);
    assert.match(JSON.stringify(content), /"title":"Start refleksion"[^}]*"data":\{"msteams":\{"type":"imBack","value":"start"\}\}/);
    assert.doesNotMatch(cardText(cardContent(chat.lastCard())), /Vælg et tema/, "no reflection began on the guess");
    // Clicking it sends "start" as if typed (Teams' imBack).
    await chat.say("start");
    assert.match(cardText(cardContent(chat.lastCard())), /Vælg et tema/);
  });

  it("answers unknown text and an old card with no flow running", async () => {
    const chat = h.chatAs(mette);
    await startReflection(chat, "leder-af-leder");
    const statements = chat.lastCard();
    await chat.say("annuller");
    assert.deepEqual(texts(await chat.say("blabla")), ['Jeg forstod ikke »blabla«. Skriv **start** for at begynde en refleksion eller **hjælp** for at se, hvad jeg kan.']);
    assert.deepEqual(texts(await chat.click(statements, "Næste", ratingInputs(statements, "4"))), ["Dette kort er allerede besvaret."]);
  });
});

describe("cancelling and resuming a reflection", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  it("asks before stopping when there are answers, keeps the draft, and offers it after a restart", async () => {
    const chat = h.chatAs(mette);
    const statements = await startReflection(chat, "leder-af-leder");
    await rate(chat, statements, ratingInputs(statements, "5"));
    await chat.click(chat.lastCard(), "Næste", { answer: "svar før pausen" });

    await chat.say("annuller");
    assert.match(cardText(cardContent(chat.lastCard())), /Vil du stoppe refleksionen\?/);
    const stopped = await chat.click(chat.lastCard(), "Ja, stop refleksionen");
    assert.match(texts(stopped).join(), /Dit udkast er gemt/);

    // A new adapter, bot and Cosmos client: only the database is the same.
    const second = await createHarness({ database: h.database });
    try {
      const again = second.chatAs(mette);
      await again.say("start");
      const resume = again.lastCard();
      assert.match(cardText(cardContent(resume)), /Du har en ufærdig refleksion\nSammen sikrer vi driften/);
      await again.click(resume, "Fortsæt refleksion");
      const question = cardContent(again.lastCard());
      assert.match(cardText(question), /Spørgsmål 2 af 3/);
      await again.click(again.lastCard(), "Tilbage");
      assert.match(JSON.stringify(cardContent(again.lastCard())), /"value":"svar før pausen"/);
      await answerAll(again, ["svar før pausen", "b", "c"]);
      await again.click(again.lastCard(), "Gem refleksion");
      const stored = await onlyReflection(second, mette);
      assert.deepEqual(stored.statements.map((s) => s.rating), [5, 5, 5, 5]);
      assert.equal(stored.questions[0]?.answer, "svar før pausen");
    } finally {
      await second.close();
    }
  });

  it("starts over on 'Start forfra' and deletes the draft", async () => {
    const chat = h.chatAs(mette);
    const statements = await startReflection(chat, "leder-af-leder");
    await rate(chat, statements, ratingInputs(statements, "5"));
    await chat.say("annuller");
    await chat.click(chat.lastCard(), "Ja, stop refleksionen");
    await chat.say("start");
    await chat.click(chat.lastCard(), "Start forfra");
    assert.match(cardText(cardContent(chat.lastCard())), /Vælg et tema/);
  });

  it("stops at once when nothing has been answered yet", async () => {
    const chat = h.chatAs(mette);
    await startReflection(chat, "leder-af-leder");
    assert.deepEqual(texts(await chat.say("annuller")), ["Refleksionen er stoppet."]);
    await chat.say("start");
    assert.match(cardText(cardContent(chat.lastCard())), /Vælg et tema/);
  });

  it("continues when the leader answers 'Nej, fortsæt'", async () => {
    const chat = h.chatAs(mette);
    const statements = await startReflection(chat, "leder-af-leder");
    await rate(chat, statements, ratingInputs(statements, "5"));
    await chat.say("annuller");
    await chat.click(chat.lastCard(), "Nej, fortsæt refleksionen");
    assert.match(cardText(cardContent(chat.lastCard())), /Spørgsmål 1 af 3/);
  });
});

describe("reflection commands outside the personal chat", () => {
  it("says that reflection happens in private and links to the 1:1 chat", async () => {
    const h = await createHarness();
    try {
      const channelMessage = teamsActivity("personal-message", mette, {
        text: "<at>Lederrefleksion</at> start",
        conversation: { id: "19:ledergruppe@thread.tacv2;messageid=1", conversationType: "channel", tenantId: mette.tenantId },
      });
      await h.adapter.processActivity(channelMessage as never);
      const card = cardContent(h.adapter.sent.at(-1)!);
      assert.match(cardText(card), /Refleksion foregår privat/);
      assert.match(JSON.stringify(card), /https:\/\/teams\.microsoft\.com\/l\/chat\/0\/0\?users=28%3A/);
      // …and, where Teams lets the bot, a private message that opens the 1:1 chat.
      const [privateMessage] = h.proactive.sent;
      assert.equal(privateMessage?.conversation.conversationType, "personal");
      assert.equal(privateMessage?.conversation.conversationId, "");
      assert.equal(privateMessage?.conversation.userId, `29:${mette.aadObjectId}`);
      assert.match(JSON.stringify(privateMessage?.message), /startReflection/);
    } finally {
      await h.close();
    }
  });
});
