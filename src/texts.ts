/**
 * Every sentence a user reads, in one file: one voice, and one place to translate. The framework's
 * own statements and questions are data in content/, not here.
 */
export const texts = {
  welcome:
    "Velkommen til Lederrefleksion. Jeg hjælper dig med at reflektere over din ledelse ud fra " +
    "kommunens ledelsesgrundlag – ét tema ad gangen. Dine refleksioner er private: kun du kan se dem.",
  welcomeBack: "Godt at se dig igen.",
  help: [
    "**Sådan bruger du Lederrefleksion**",
    "",
    "- **start** – begynd en refleksion over et af de fire temaer",
    "- **skift rolle** – vælg hvilken ledelsesrolle du reflekterer i",
    "- **annuller** – stop den refleksion, du er i gang med (dit udkast gemmes)",
    "- **hjælp** – vis denne hjælp",
    "",
    "Dine refleksioner er private og kan kun ses af dig.",
  ].join("\n"),
  unknown: (text: string) =>
    `Jeg forstod ikke "${truncate(text, 60)}". Skriv **start** for at begynde en refleksion eller **hjælp** for at se, hvad jeg kan.`,
  unexpectedError: "Beklager, noget gik galt hos mig. Prøv igen om lidt – det, du allerede har gemt, er ikke gået tabt.",
  nonTextMessage: "Jeg kan kun læse tekst og svar fra mine kort. Skriv **hjælp** for at se, hvad jeg kan.",
} as const;

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
