/**
 * Teams' Adaptive Card host configs for its three themes, for rendering the bot's cards with
 * Teams' own colours (an honest contrast check needs them).
 *
 * - Light and dark: microsoft/AdaptiveCards, samples/HostConfig/microsoft-teams-light.json and
 *   microsoft-teams-dark.json (the ones the Adaptive Cards Designer's Teams container uses). The
 *   light one has the same colours as the host config the M365 Agents Playground ships for its
 *   Teams view (node_modules/@microsoft/m365agentsplayground/dist/client/static/js/main.*.js,
 *   `const gme=JSON.parse(…)`), which adds the heading level used below. The Playground ships no
 *   dark or high-contrast one.
 * - High contrast: Microsoft publishes no Teams host config for it, so its colours are Teams'
 *   high-contrast palette from Fluent UI (microsoft/fluentui,
 *   packages/fluentui/react-northstar/src/themes/teams-high-contrast/colors.ts): black ground,
 *   white text, accessibleYellow #ffff00, accessibleGreen #3ff23f, red #f00. High contrast has no
 *   subtle grey, so subtle text is white.
 *
 * Colours are #AARRGGBB where they have eight digits, as the host config format has it.
 */
export type TeamsTheme = "light" | "dark" | "contrast";

type Pair = readonly [normal: string, subtle: string];
interface Palette {
  readonly background: string;
  readonly emphasis: string;
  readonly colours: { readonly default: Pair; readonly dark: Pair; readonly light: Pair; readonly accent: Pair; readonly good: Pair; readonly warning: Pair; readonly attention: Pair };
  /** The text on the fixed pale grounds of the accent, good, attention and warning containers. */
  readonly onPale: Pair;
  /** The accent, good, attention and warning containers' grounds; the samples keep them pale in both themes. */
  readonly pale?: string;
}

const foreground = (colours: Palette["colours"]) =>
  Object.fromEntries(Object.entries(colours).map(([name, [normal, subtle]]) => [name, { default: normal, subtle }]));

function hostConfig(palette: Palette): Record<string, unknown> {
  const onPale = { ...palette.colours, default: palette.onPale, dark: palette.onPale };
  const pale = (colour: string) => ({ backgroundColor: palette.pale ?? colour, foregroundColors: foreground(palette.pale ? palette.colours : onPale) });
  return {
    choiceSetInputValueSeparator: ",",
    supportsInteractivity: true,
    spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    separator: { lineThickness: 1, lineColor: "#EEEEEE" },
    imageSizes: { small: 32, medium: 52, large: 100 },
    fontTypes: {
      default: { fontFamily: "'Segoe UI', Tahoma, Geneva, Verdana, sans-serif", fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 }, fontWeights: { lighter: 200, default: 400, bolder: 600 } },
      monospace: { fontFamily: "'Courier New', Courier, monospace", fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 }, fontWeights: { lighter: 200, default: 400, bolder: 600 } },
    },
    // From the Playground's Teams host config: headings are level 2 (the samples predate headings).
    textStyles: { heading: { fontType: "default", size: "large", weight: "bolder", color: "default", isSubtle: false } },
    textBlock: { headingLevel: 2 },
    containerStyles: {
      default: { backgroundColor: palette.background, foregroundColors: foreground(palette.colours) },
      emphasis: { backgroundColor: palette.emphasis, foregroundColors: foreground(palette.colours) },
      accent: pale("#C7DEF9"),
      good: pale("#CCFFCC"),
      attention: pale("#FFC5B2"),
      warning: pale("#FFE2B2"),
    },
    actions: { maxActions: 6, spacing: "Default", buttonSpacing: 8, showCard: { actionMode: "Inline", inlineTopMargin: 16, style: "emphasis" }, preExpandSingleShowCardAction: false, actionsOrientation: "Horizontal", actionAlignment: "Left" },
    adaptiveCard: { allowCustomStyle: false },
    imageSet: { imageSize: "Medium", maxImageHeight: 100 },
    factSet: { title: { size: "Default", color: "Default", isSubtle: false, weight: "Bolder", wrap: true }, value: { size: "Default", color: "Default", isSubtle: false, weight: "Default", wrap: true }, spacing: 16 },
  };
}

export const TEAMS_HOST_CONFIGS: Readonly<Record<TeamsTheme, Record<string, unknown>>> = {
  light: hostConfig({
    background: "#ffffff",
    emphasis: "#fff9f8f7",
    colours: {
      default: ["#ff252424", "#bf252424"],
      dark: ["#252424", "#bf252424"],
      light: ["#ffffff", "#fff3f2f1"],
      accent: ["#6264a7", "#8b8cc7"],
      good: ["#92c353", "#e592c353"],
      warning: ["#f8d22a", "#e5f8d22a"],
      attention: ["#c4314b", "#e5c4314b"],
    },
    onPale: ["#ff252424", "#bf252424"],
  }),
  dark: hostConfig({
    background: "#ff2d2c2c",
    emphasis: "#ff292828",
    colours: {
      default: ["#ffffffff", "#bfffffff"],
      dark: ["#ff201f1f", "#ff2d2c2c"],
      light: ["#ffffffff", "#bfffffff"],
      accent: ["#ffa6a7dc", "#ff8b8cc7"],
      good: ["#ff92c353", "#e592c353"],
      warning: ["#fff8d22a", "#e5f8d22a"],
      attention: ["#ffd74654", "#e5d74654"],
    },
    onPale: ["#ff201f1f", "#ff2d2c2c"],
  }),
  contrast: hostConfig({
    background: "#000000",
    emphasis: "#000000",
    colours: {
      default: ["#ffffff", "#ffffff"],
      dark: ["#ffffff", "#ffffff"],
      light: ["#ffffff", "#ffffff"],
      accent: ["#ffff00", "#ffff00"],
      good: ["#3ff23f", "#3ff23f"],
      warning: ["#ffff00", "#ffff00"],
      attention: ["#ff0000", "#ff0000"],
    },
    onPale: ["#ffffff", "#ffffff"],
    pale: "#000000",
  }),
};
