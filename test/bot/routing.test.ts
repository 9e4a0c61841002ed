import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { CARD_VERBS } from "../../src/domain/cardSubmit";
import { mette, teamsActivity, type TeamsUser } from "../support/activities";
import { rate, ratingInputs, startReflection } from "../support/reflectionSteps";
import { cardText, createHarness, type Harness, type TeamsChat } from "../support/teamsChat";

/** Everything a person can type that the bot reads as a command, one spelling each, plus noise. */
const TYPED = [
  "hjælp", "start", "annuller", "skift rolle", "historik", "udvikling", "eksport", "slet mine data",
  "påmindelser", "påmind mig nu", "opsæt", "status", "spørgsmål", "spørgsmål 2", "hvad kan du?", "x".repeat(5000),
];

/** What the person sees of the bot's answer: texts and card texts, joined. */
function answerText(activities: Array<Partial<Activity>>): string {
  return activities.map((a) => [a.text ?? "", ...(a.attachments ?? []).map((c) => cardText(c.content as Record<string, unknown>))].join("\n")).join("\n");
}

const CHANNEL = "19:ledergruppe@thread.tacv2";

function shared(surface: "channel" | "groupChat", user: TeamsUser, overrides: Record<string, unknown>) {
  const conversation =
    surface === "channel"
      ? { id: `${CHANNEL};messageid=1`, conversationType: "channel", tenantId: user.tenantId }
      : { id: "19:chat-ledergruppe@thread.v2", conversationType: "groupChat", tenantId: user.tenantId, isGroup: true };
  const channelData = surface === "channel" ? { tenant: { id: user.tenantId }, team: { id: "19:team@thread.tacv2" }, channel: { id: CHANNEL } } : { tenant: { id: user.tenantId } };
  return teamsActivity("personal-message", user, { conversation, channelData, ...overrides });
}

describe("routing: every intent on every surface gets its answer (TestAdapter, embedded Cosmos)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  const turn = async (activity: Record<string, unknown>) => {
    const before = h.adapter.sent.length;
    const updatesBefore = h.adapter.updates.length;
    await h.adapter.processActivity(activity as Partial<Activity>);
    return { sent: h.adapter.sent.slice(before), updates: h.adapter.updates.slice(updatesBefore), proactive: h.proactive.sent.length };
  };

  describe("in the personal chat, after the welcome", () => {
    let chat: TeamsChat;
    beforeEach(async () => {
      chat = h.chatAs(mette);
      await chat.install();
      await chat.click(chat.lastCard(), "Vælg rolle", { roleId: "chef" });
      await chat.say("annuller");
    });

    const expected: Array<[string, RegExp]> = [
      ["hjælp", /Sådan bruger du Lederrefleksion/],
      ["start", /Vælg et tema/],
      ["annuller", /Der er ikke noget at stoppe|Refleksionen er stoppet/],
      ["skift rolle", /Hvilken rolle/],
      ["historik", /Dine refleksioner/],
      ["udvikling", /udvikling|Udvikling/],
      ["eksport", /Hent/],
      ["slet mine data", /Vil du slette alle dine data\?/],
      ["påmindelser", /Påmindelser/],
      ["påmind mig nu", /påmindelse er på vej/],
      ["opsæt", /\*\*opsæt\*\* virker i en ledergruppes kanal/],
      ["status", /\*\*status\*\* virker i en ledergruppes kanal/],
      ["spørgsmål", /\*\*spørgsmål\*\* virker i en ledergruppes kanal/],
      ["spørgsmål 2", /\*\*spørgsmål\*\* virker i en ledergruppes kanal/],
      // A pulse goes to the leader's team, and its result comes back to this chat.
      ["puls", /^\*\*puls\*\* sender Vi-pulsen til dit team: skriv @Lederrefleksion puls i en kanal eller gruppechat, hvor dit team er\. Resultatet kommer her i vores chat\.$/],
      ["puls luk", /^\*\*puls luk\*\* sender Vi-pulsen til dit team/],
      ["hvad kan du?", /^Jeg hjælper dig med at reflektere over din ledelse .* Skriv \*\*start\*\*, når du vil reflektere\.$/],
      ["hjælpp", /Mente du »Hjælp«\?/],
      ["jeg har 10 minutter", /Så passer en kort refleksion: .*\nKort refleksion\nHel refleksion$/],
      ["x".repeat(5000), /Jeg forstod ikke »x+…«/],
    ];
    for (const [typed, answer] of expected) {
      it(`answers "${typed.slice(0, 20)}" with ${answer.source.slice(0, 50)}`, async () => {
        const { sent } = await turn(teamsActivity("personal-message", mette, { text: typed }));
        assert.match(answerText(sent), answer);
      });
    }

    it("answers a card verb that belongs to a group chat by saying where it works", async () => {
      const { sent } = await turn(teamsActivity("personal-message", mette, { text: undefined, value: { verb: "saveChannelSettings" } }));
      assert.match(answerText(sent), /virker i en ledergruppes kanal/);
    });

    it("answers a card payload it cannot read", async () => {
      const { sent } = await turn(teamsActivity("personal-message", mette, { text: undefined, value: { verb: "formatHarddisk" } }));
      assert.match(answerText(sent), /kunne ikke læse svaret fra kortet/);
    });

    it("answers a stale click of every personal card verb with a clear sentence", async () => {
      for (const verb of CARD_VERBS.filter((v) => v !== "saveChannelSettings" && v !== "startReflection")) {
        const { sent, updates } = await turn(teamsActivity("personal-message", mette, { text: undefined, value: { verb, token: "stale-token" } }));
        assert.ok(sent.length + updates.length > 0, `${verb} got no answer`);
        assert.ok(answerText(sent).length > 0 || updates.length > 0, verb);
      }
    });

    it("answers an image or a file without text", async () => {
      const { sent } = await turn(teamsActivity("personal-message", mette, { text: "", attachments: [{ contentType: "image/png", contentUrl: "https://x" }] }));
      assert.match(answerText(sent), /kan kun læse tekst/);
    });

    it("stays silent on typing and reactions, which say nothing to the bot", async () => {
      for (const type of ["typing", "messageReaction"]) {
        const { sent } = await turn(teamsActivity("personal-message", mette, { type, text: undefined }));
        assert.equal(sent.length, 0, type);
      }
    });
  });

  for (const surface of ["channel", "groupChat"] as const) {
    describe(`in a ${surface === "channel" ? "team channel" : "group chat"}`, () => {
      const expected: Array<[string, RegExp]> = [
        ["hjælp", /I en kanal kan jeg hjælpe ledergruppen/],
        ["hvad kan du?", /I en kanal kan jeg hjælpe ledergruppen/],
        ["opsæt", /Opsæt kanalen for ledergruppen/],
        ["status", /Status for kanalen/],
        ...["start", "annuller", "skift rolle", "historik", "udvikling", "eksport", "slet mine data", "påmindelser", "påmind mig nu"].map(
          (typed) => [typed, /private chat med mig/] as [string, RegExp],
        ),
      ];
      for (const [typed, answer] of expected) {
        it(`answers "${typed}" with ${answer.source}`, async () => {
          const { sent } = await turn(shared(surface, mette, { text: `<at>Lederrefleksion</at> ${typed}` }));
          assert.match(answerText(sent), answer);
        });
      }

      it("posts the group questions for 'spørgsmål' as a new post", async () => {
        const { proactive } = await turn(shared(surface, mette, { text: "<at>Lederrefleksion</at> spørgsmål" }));
        assert.equal(proactive, 1);
      });

      it("points a personal card's button to the private chat", async () => {
        const { sent } = await turn(shared(surface, mette, { text: undefined, value: { verb: "next", token: "t" } }));
        assert.match(answerText(sent), /private chat med mig/);
      });

      it("answers every Action.Execute in the invoke's response: a pulse that is not here, a malformed one, one that is not Action.Execute", async () => {
        const invoke = (value: unknown) => shared(surface, mette, { type: "invoke", name: "adaptiveCard/action", text: undefined, value });
        const bodies = [];
        for (const value of [
          { action: { type: "Action.Execute", verb: "openPulse", data: { pulseId: "NoSuchPulse123", groupId: "19:x@thread.v2" } } },
          { action: { type: "Action.Execute", verb: "answerPulse", data: { pulseId: "../../x", groupId: "19:x" } } },
          { action: { type: "Action.Execute", verb: "formatHarddisk" } },
          { action: { type: "Action.Submit", verb: "openPulse" } },
          { action: "no" },
        ]) {
          const { sent } = await turn(invoke(value));
          const response = sent.find((a) => a.type === "invokeResponse")?.value as { status: number; body: { value: string } } | undefined;
          assert.equal(response?.status, 200, JSON.stringify(value));
          bodies.push(response!.body.value);
        }
        assert.match(bodies[0]!, /kan ikke finde den puls/);
        for (const body of bodies.slice(1)) assert.match(body, /kunne ikke læse svaret fra kortet/);
      });

      it("answers an image and an unreadable card", async () => {
        assert.match(answerText((await turn(shared(surface, mette, { text: "" }))).sent), /kan kun læse tekst/);
        assert.match(answerText((await turn(shared(surface, mette, { text: undefined, value: [1, 2] }))).sent), /kunne ikke læse svaret/);
      });

      it("says hello once when installed, although Teams announces the install twice", async () => {
        const install = { type: "conversationUpdate", text: undefined, membersAdded: [{ id: "28:00000000-0000-4000-8000-0000000000b0" }] };
        const first = await turn(shared(surface, mette, install));
        const second = await turn(shared(surface, mette, { type: "installationUpdate", action: "add", text: undefined }));
        assert.equal(first.sent.length + second.sent.length, 1);
      });
    });
  }
});

type Point = "before the welcome" | "at the role card" | "at the theme card" | "at the statements" | "at a question" | "at the cancel confirmation";

/**
 * The answer each typed text must get at each point of the flow: what the command does, except
 * where the point changes it (the first message is always welcomed; a draft changes "start",
 * "annuller", "skift rolle" and what "eksport" counts; unknown text points to the card above).
 */
function expectedAnswer(point: Point, typed: string): RegExp {
  const welcome = /Velkommen til Lederrefleksion/;
  const inDraft = point === "at the statements" || point === "at a question" || point === "at the cancel confirmation";
  const groupOnly = /^(opsæt|status|spørgsmål)/.exec(typed)?.[1];
  if (groupOnly) return new RegExp(`\\*\\*${groupOnly}\\*\\* virker i en ledergruppes kanal`);
  switch (typed) {
    case "hjælp":
      return /Sådan bruger du Lederrefleksion/;
    case "historik":
      return /Dine refleksioner ¶ Du har ingen gemte refleksioner endnu/;
    case "udvikling":
      return /Din udvikling/;
    case "eksport":
      return inDraft ? /Dine data er klar ¶ 0 refleksioner og et ufærdigt udkast/ : /Dine data er klar ¶ 0 refleksioner\./;
    case "påmindelser":
      return /^ ¶ Påmindelser ¶/;
    case "påmind mig nu":
      return /En påmindelse er på vej/;
    case "slet mine data":
      return point === "before the welcome" ? /Der er ikke gemt noget om dig/ : /Vil du slette alle dine data\?/;
  }
  if (point === "before the welcome") return welcome;
  switch (typed) {
    case "start":
      return ({
        "at the role card": welcome,
        "at the theme card": /Vælg et tema/,
        "at the statements": /Trin 1 af 3 · Udsagn/,
        "at a question": /Spørgsmål 1 af 3/,
        "at the cancel confirmation": /Vil du stoppe refleksionen\?/,
      } as const)[point];
    case "annuller":
      if (point === "at a question") return /Vil du stoppe refleksionen\?/;
      return point === "at the cancel confirmation" ? /Refleksionen er stoppet\. Dit udkast er gemt/ : /^Refleksionen er stoppet\.$/;
    case "skift rolle":
      return /Du er midt i en refleksion\. Gør den færdig, eller skriv \*\*annuller\*\* først/;
    case "hvad kan du?":
      // Small talk is answered wherever the leader is, with the next step on the card that waits.
      return new RegExp(`^Jeg hjælper dig med at reflektere over din ledelse.* ${({
        "at the role card": "Vælg din rolle på kortet ovenfor, så går vi i gang\\.",
        "at the theme card": "Vælg et tema på kortet ovenfor, når du er klar\\.",
        "at the statements": "Din refleksion venter på kortet ovenfor\\.",
        "at a question": "Din refleksion venter på kortet ovenfor\\.",
        "at the cancel confirmation": "Vælg på kortet ovenfor, om du vil stoppe refleksionen\\.",
      } as const)[point]}$`);
    default:
      return /Brug kortet ovenfor til at svare/;
  }
}

describe("every message typed in the personal chat gets its own answer, at any point in the flow", () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  /** Each point of the flow a leader can be at, reached from scratch for a fresh user. */
  const points: Array<[Point, (chat: TeamsChat) => Promise<void>]> = [
    ["before the welcome", async () => undefined],
    ["at the role card", async (chat) => void (await chat.install())],
    ["at the theme card", async (chat) => {
      await chat.install();
      await chat.click(chat.lastCard(), "Vælg rolle", { roleId: "chef" });
    }],
    ["at the statements", async (chat) => void (await startReflection(chat, "chef"))],
    ["at a question", async (chat) => {
      const statements = await startReflection(chat, "chef");
      await rate(chat, statements, ratingInputs(statements, "3"));
    }],
    ["at the cancel confirmation", async (chat) => {
      const statements = await startReflection(chat, "chef");
      await rate(chat, statements, ratingInputs(statements, "3"));
      await chat.say("annuller");
    }],
  ];

  let userNumber = 100;
  for (const [point, reach] of points) {
    for (const typed of TYPED) {
      const expected = expectedAnswer(point, typed);
      it(`${point}: "${typed.slice(0, 20)}" is answered with ${expected.source.slice(0, 60)}`, async () => {
        userNumber += 1;
        const id = `00000000-0000-4000-8000-${String(userNumber).padStart(12, "0")}`;
        const chat = h.chatAs({ aadObjectId: id, tenantId: mette.tenantId, conversationId: `a:routing-${userNumber}` });
        await reach(chat);
        const before = h.adapter.sent.length;
        await chat.say(typed);
        const answered = h.adapter.sent.slice(before).filter((a) => a.conversation?.id === chat.user.conversationId);
        assert.match(answerText(answered).replace(/\n/g, " ¶ "), expected);
      });
    }
  }
});
