import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { mette } from "../support/activities";
import { cardContent, cardText, createHarness, findActions, type Harness, type TeamsChat } from "../support/teamsChat";
import { tokenOf } from "../support/reflectionSteps";
import { partitionKeyOf } from "../../src/domain/identity";
import { asTenantId, asUserId } from "../../src/domain/ids";

const METTE = { tenantId: asTenantId(mette.tenantId), userId: asUserId(mette.aadObjectId) };

/**
 * What a leader writes as to a colleague, answered wherever they are (issue 31). The clock is
 * the harness's: Monday 23 November 2026, 10:00 in Copenhagen.
 */

type Sent = Array<Partial<Activity>>;

/** What the leader reads of one turn's answer: texts and card texts, in order. */
function read(sent: Sent): string {
  return sent.map((a) => [a.text ?? "", ...(a.attachments ?? []).map((c) => cardText(c.content as Record<string, unknown>))].filter((t) => t !== "").join("\n")).join("\n");
}

/** The buttons a turn's cards offer, by title. */
function buttonsOf(sent: Sent): string[] {
  return sent.flatMap((a) => (a.attachments?.length ? findActions(cardContent(a)).map((b) => b.title) : []));
}

/** What an imBack button sends, as if typed (Teams posts its value as the leader's message). */
function imBackOf(card: Partial<Activity>, title: string): string {
  const data = findActions(cardContent(card)).find((a) => a.title === title)?.data as { msteams?: { value?: string } } | undefined;
  const value = data?.msteams?.value;
  if (!value) throw new Error(`No imBack button "${title}"`);
  return value;
}

const cardOf = (sent: Sent) => {
  const card = sent.find((a) => a.attachments?.length);
  if (!card) throw new Error("The turn sent no card");
  return card;
};

describe("a leader writes to the bot as to a colleague (real dialogs, strict Cosmos double)", () => {
  let h: Harness;
  let chat: TeamsChat;
  beforeEach(async () => {
    h = await createHarness();
    chat = h.chatAs(mette);
  });
  afterEach(() => h.close());

  /** The welcome, a role chosen: the theme card waits. */
  async function atThemeCard(): Promise<Partial<Activity>> {
    await chat.install();
    await chat.click(chat.lastCard(), "Vælg rolle", { roleId: "chef" });
    const themeCard = chat.lastCard();
    assert.match(cardText(cardContent(themeCard)), /Vælg et tema/);
    return themeCard;
  }

  /** The welcome, a role chosen, then stopped: no card waits, no draft, no reminder. */
  async function withNothingOpen(): Promise<void> {
    await atThemeCard();
    await chat.say("annuller");
  }

  /** Chooses the first theme on that very card (not the newest one): the reflection goes on from it. */
  async function themeCardStillWorks(themeCard: Partial<Activity>, short = false): Promise<void> {
    const themeId = /"themeId":"([a-z-]+)"/.exec(JSON.stringify(cardContent(themeCard)))![1];
    await chat.submit(themeCard, { verb: "chooseTheme", token: tokenOf(themeCard), step: "theme", themeId, ...(short ? { short: "true" } : {}) });
    assert.match(cardText(cardContent(chat.lastCard())), short ? /Trin 1 af 2 · Udsagn/ : /Trin 1 af 3 · Udsagn/);
  }

  describe("small talk is answered warmly, with the one next step where the leader is", () => {
    const onThemeCard = "Vælg et tema på kortet ovenfor, når du er klar\\.";
    const cases: Array<[string, string]> = [
      ["hej", `^Hej! ${onThemeCard}$`],
      ["Hejsa", `^Hej! ${onThemeCard}$`],
      ["Godmorgen", `^Godmorgen! ${onThemeCard}$`],
      ["god morgen :)", `^Godmorgen! ${onThemeCard}$`],
      ["tak", `^Selv tak – godt, at du tog dig tiden\\. ${onThemeCard}$`],
      ["Tak for i dag!", `^Selv tak – godt, at du tog dig tiden\\. ${onThemeCard}$`],
      ["farvel", `^Hav en god dag! ${onThemeCard}$`],
      ["vi ses", `^Hav en god dag! ${onThemeCard}$`],
      ["hej hej", `^Hav en god dag! ${onThemeCard}$`],
      ["hvad kan du?", `^Jeg hjælper dig med at reflektere over din ledelse ud fra kommunens ledelsesgrundlag – ét tema ad gangen, privat og i dit eget tempo\\. Skriv \\*\\*hjælp\\*\\* for at se alt, hvad jeg kan\\. ${onThemeCard}$`],
      ["Hvem er du?", `^Jeg er Lederrefleksion, en bot her i Teams, der guider dig gennem refleksioner over kommunens ledelsesgrundlag\\. Det, du skriver, kan kun du se\\. ${onThemeCard}$`],
    ];
    for (const [typed, answer] of cases) {
      it(`answers "${typed}" on the theme card, and the theme card still works after`, async () => {
        const themeCard = await atThemeCard();
        const sent = await chat.say(typed);
        assert.match(read(sent), new RegExp(answer));
        assert.doesNotMatch(read(sent), /Jeg forstod ikke|Brug kortet ovenfor/);
        await themeCardStillWorks(themeCard);
      });
    }

    it("with nothing open, the next step is start", async () => {
      await withNothingOpen();
      assert.equal(read(await chat.say("Hej")), "Hej! Skriv **start**, når du vil reflektere.");
    });

    it("with a draft kept, the next step is to go on with it", async () => {
      const themeCard = await atThemeCard();
      await themeCardStillWorks(themeCard);
      const statements = chat.lastCard();
      await chat.click(statements, "Næste", Object.fromEntries(JSON.stringify(cardContent(statements)).match(/"rating:[^"]+"/g)!.map((k) => [k.slice(1, -1), "3"])));
      await chat.say("annuller");
      await chat.click(chat.lastCard(), "Ja, stop refleksionen");
      assert.equal(read(await chat.say("tak")), "Selv tak – godt, at du tog dig tiden. Du har en ufærdig refleksion: skriv **start** for at fortsætte.");
    });

    it("after a reminder went out, the next step is that reminder", async () => {
      await withNothingOpen();
      // As the scheduler leaves it when a reminder has gone out (reminders/personalReminders.ts).
      const { session, eTag } = await h.sessions.load(METTE);
      await h.sessions.save(METTE, { ...session, profile: { ...session.profile, remindersSinceReflection: 1 } }, eTag);
      assert.equal(read(await chat.say("godmorgen")), "Godmorgen! Jeg har mindet dig om at reflektere: skriv **start**, når du er klar.");
    });

    it("a brand-new leader's greeting is returned, then the welcome", async () => {
      const sent = await chat.say("Hej");
      assert.equal(sent[0]?.text, "Hej!");
      assert.match(read(sent), /Velkommen til Lederrefleksion/);
      await chat.click(chat.lastCard(), "Vælg rolle", { roleId: "chef" });
      assert.match(cardText(cardContent(chat.lastCard())), /Vælg et tema/);
    });
  });

  describe("how much time the leader has: the short or the whole reflection, as buttons", () => {
    const cases: Array<[string, "short" | "full"]> = [
      ["jeg har 10 minutter", "short"],
      ["Jeg har kun 5 minutter", "short"],
      ["jeg har god tid", "full"],
    ];
    for (const [typed, fits] of cases) {
      it(`answers "${typed}" with both reflections, the ${fits} one first, and its button starts it`, async () => {
        await withNothingOpen();
        const sent = await chat.say(typed);
        assert.match(
          read(sent),
          fits === "short"
            ? /^Så passer en kort refleksion: vurderinger, et spadestik dybere og din plan – cirka tre minutter\. En hel refleksion tager 5–10 minutter\./
            : /^Så har du tid til en hel refleksion, 5–10 minutter\. Har du travlt, tager en kort refleksion cirka tre minutter\./,
        );
        assert.doesNotMatch(read(sent), /Jeg forstod ikke/);
        assert.deepEqual(buttonsOf(sent), fits === "short" ? ["Kort refleksion", "Hel refleksion"] : ["Hel refleksion", "Kort refleksion"]);
        await chat.click(cardOf(sent), fits === "short" ? "Kort refleksion" : "Hel refleksion");
        const themeCard = chat.lastCard();
        const themeId = /"themeId":"([a-z-]+)"/.exec(JSON.stringify(cardContent(themeCard)))![1];
        await chat.submit(themeCard, { verb: "chooseTheme", token: tokenOf(themeCard), step: "theme", themeId });
        assert.match(cardText(cardContent(chat.lastCard())), fits === "short" ? /Trin 1 af 2 · Udsagn/ : /Trin 1 af 3 · Udsagn/);
      });
    }

    it('answers "Hej, jeg har 10 minutter" on the theme card by pointing to its short reflection, and the card still works', async () => {
      const themeCard = await atThemeCard();
      const sent = await chat.say("Hej, jeg har 10 minutter");
      assert.equal(
        read(sent),
        "Hej! Så passer en kort refleksion: vurderinger, et spadestik dybere og din plan – cirka tre minutter. En hel refleksion tager 5–10 minutter. Vælg »Kort refleksion« ved et tema på kortet ovenfor for den korte, eller »Vælg tema« for den hele.",
      );
      await themeCardStillWorks(themeCard, true);
    });
  });

  describe("\"mind mig om det …\": a snooze where something is open, else påmindelser with the day chosen", () => {
    const snoozes: Array<[string, string, string, string]> = [
      ["kan du minde mig om det på fredag?", "Skal jeg minde dig om at reflektere fredag den 27. november?", "Ja, mind mig fredag", "2026-11-27"],
      ["mind mig om det i morgen", "Skal jeg minde dig om at reflektere i morgen, tirsdag den 24. november?", "Ja, mind mig i morgen", "2026-11-24"],
      ["mind mig om det om en uge", "Skal jeg minde dig om at reflektere mandag den 30. november?", "Ja, mind mig mandag", "2026-11-30"],
    ];
    for (const [typed, offer, button, date] of snoozes) {
      it(`offers "${typed}" as a snooze while the theme card waits, keeps it, and the card still works`, async () => {
        const themeCard = await atThemeCard();
        const sent = await chat.say(typed);
        assert.equal(read(sent), `${offer}\n${button}`);
        await chat.click(cardOf(sent), button);
        assert.equal(cardText(chat.current(cardOf(sent))), `Jeg minder dig om det igen ${offer.replace(/^Skal jeg minde dig om at reflektere (.*)\?$/, "$1")}.`);
        assert.equal((await h.schedules.get(partitionKeyOf(METTE), "nudge-snooze"))?.nextRunAt.slice(0, 10), date);
        await themeCardStillWorks(themeCard);
      });
    }

    const settings: Array<[string, string, string]> = [
      ["mind mig om det på fredag", "fredag", "5"],
      ["mind mig om det i morgen", "tirsdag", "2"],
      ["Kan du minde mig om det om en uge?", "mandag", "1"],
    ];
    for (const [typed, weekday, value] of settings) {
      it(`with nothing open, answers "${typed}" with påmindelser, ${weekday} chosen`, async () => {
        await withNothingOpen();
        const sent = await chat.say(typed);
        assert.equal(sent[0]?.text, `Vil du have faste påmindelser? Her er de med ${weekday} valgt – tryk »Gem påmindelser«, når det passer dig.`);
        assert.match(JSON.stringify(cardContent(cardOf(sent))), new RegExp(`"id":"weekday"[^}]*"value":"${value}"|"value":"${value}"[^}]*"id":"weekday"`));
        await chat.click(cardOf(sent), "Gem påmindelser");
        assert.match(cardText(chat.current(cardOf(sent))), new RegExp(`Påmindelser gemt\\nPåmindelse hver anden ${weekday}`));
      });
    }
  });

  describe("typed while the theme card waits: a command, a typo of one or small talk is answered, and the card stays", () => {
    const typos: Array<[string, string, RegExp]> = [
      ["hjlæp", "Hjælp", /Sådan bruger du Lederrefleksion[\s\S]*Vælg et tema på kortet lige før hjælpen – eller skriv \*\*annuller\*\*, hvis du ikke vil reflektere nu\./],
      ["histrik", "Historik", /Dine refleksioner\nDu har ingen gemte refleksioner endnu/],
      ["udvilking", "Din udvikling", /Din udvikling/],
    ];
    for (const [typed, label, answer] of typos) {
      it(`offers "${label}" for "${typed}", its button answers, and the theme card still works`, async () => {
        const themeCard = await atThemeCard();
        const sent = await chat.say(typed);
        assert.match(read(sent), new RegExp(`^Jeg forstod ikke »${typed}«\\.\\nMente du »${label}«\\?\\n`));
        assert.deepEqual(buttonsOf(sent), label === "Hjælp" ? ["Hjælp"] : [label, "Hjælp"]);
        assert.match(read(await chat.say(imBackOf(cardOf(sent), label))), answer);
        await themeCardStillWorks(themeCard);
      });
    }

    it('never guesses "slet mine dta": the card above is pointed to, nothing is offered, and the card still works', async () => {
      const themeCard = await atThemeCard();
      const sent = await chat.say("slet mine dta");
      assert.equal(read(sent), "Brug kortet ovenfor til at svare – eller skriv **annuller** for at stoppe eller **hjælp** for hjælp.");
      assert.deepEqual(buttonsOf(sent), []);
      await themeCardStillWorks(themeCard);
    });

    it('never guesses "slet mine dta" with nothing open either', async () => {
      await withNothingOpen();
      const sent = await chat.say("slet mine dta");
      assert.equal(read(sent), "Jeg forstod ikke »slet mine dta«. Skriv **start** for at begynde en refleksion eller **hjælp** for at se, hvad jeg kan.");
      assert.deepEqual(buttonsOf(sent), []);
    });
  });

  it("the help card says what the bot does: both reflections and their times, kort refleksion and genoptag påmindelser", async () => {
    await withNothingOpen();
    const help = read(await chat.say("hjælp"));
    assert.match(help, /En hel refleksion tager 5–10 minutter, en kort refleksion cirka tre\./);
    assert.match(help, /kort refleksion\nBegynd en kort refleksion: vurderinger, et spadestik dybere og din plan – cirka tre minutter/);
    assert.match(help, /genoptag påmindelser\nFå påmindelser igen før den dato, du valgte for din pause/);
  });

  it('"kort refleksion" typed starts the short reflection', async () => {
    await withNothingOpen();
    await chat.say("kort refleksion");
    const themeCard = chat.lastCard();
    const themeId = /"themeId":"([a-z-]+)"/.exec(JSON.stringify(cardContent(themeCard)))![1];
    await chat.submit(themeCard, { verb: "chooseTheme", token: tokenOf(themeCard), step: "theme", themeId });
    assert.match(cardText(cardContent(chat.lastCard())), /Trin 1 af 2 · Udsagn/);
  });

  it("answers hjælp on the welcome card as a welcome, not a reflection, and the welcome card still works", async () => {
    await chat.install();
    const welcome = chat.lastCard();
    const sent = await chat.say("hjælp");
    assert.match(read(sent), /^Sådan bruger du Lederrefleksion/);
    assert.equal(sent[1]?.text, "Du er ved at komme i gang: vælg din rolle på kortet lige før hjælpen, så går vi i gang med din første refleksion.");
    assert.doesNotMatch(read(sent), /Du er midt i en refleksion/);
    await chat.click(welcome, "Vælg rolle", { roleId: "chef" });
    assert.match(cardText(cardContent(chat.lastCard())), /Vælg et tema/);
  });
});
