/** A file the bot's server hands out behind a sealed link ("eksport", "referat alle"). */
export interface Download {
  readonly contentType: string;
  readonly filename: string;
  readonly body: string;
}
