import { trusted } from "../../src/kernel/shown";
import type { ShareContent, SharedReflection } from "../../src/domain/sharing/content";

/** A marker that must never reach a log line, a chat card or Indsigt: it stands for what a leader wrote. */
export const SHARED_SECRET = "HEMMELIG-NOTE-7f3a";

/** One shared reflection with the leader's own words in every free-text field (each carrying the marker). */
export function sharedReflection(overrides: Partial<SharedReflection> = {}): SharedReflection {
  return {
    themeTitle: trusted("Tillid og ansvar"),
    roleName: trusted("Leder af medarbejdere"),
    completedAt: "2026-11-02T10:00:00.000Z",
    statements: [
      { text: trusted("Jeg viser tillid til mine medarbejdere"), rating: 4, ratingLabel: trusted("I høj grad"), note: `Min note ${SHARED_SECRET} <script>alert(1)</script>` },
      { text: trusted("Jeg giver plads til fejl"), rating: 2, ratingLabel: trusted("I lav grad"), note: null },
    ],
    questions: [{ text: trusted("Hvad vil du gøre anderledes?"), answer: `Mit svar ${SHARED_SECRET} & <b>fed</b>` }],
    focus: { deeper: { statement: trusted("Jeg giver plads til fejl"), prompt: trusted("Hvad står i vejen?"), answer: `Fokus ${SHARED_SECRET}` } },
    plan: { commitment: `Næste skridt ${SHARED_SECRET}`, followUps: [{ text: `Det gik ${SHARED_SECRET}`, at: "2026-11-10T10:00:00.000Z", outcome: "done" }] },
    ...overrides,
  };
}

export function shareContent(overrides: Partial<ShareContent> = {}): ShareContent {
  return { version: 1, madeAt: "2026-11-23T09:00:00.000Z", reflections: [sharedReflection()], ...overrides };
}
