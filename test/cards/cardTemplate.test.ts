import assert from "node:assert/strict";
import fc from "fast-check";
import * as ACData from "adaptivecards-templating";
import { compileTemplate } from "../../src/cards/cardTemplate";
import { compileAllCards } from "../../src/cards/renderCard";
import { AppError } from "../../src/kernel/errors";

/** Every construct of the subset the cards use, in one template. */
const TEMPLATE = {
  type: "AdaptiveCard",
  body: [
    { type: "TextBlock", text: "${title}" },
    { type: "TextBlock", text: "• ${title} (${count})" },
    { $when: "${subtitle != ''}", type: "TextBlock", text: "${subtitle}" },
    { $when: "${count(items) > 0}", type: "TextBlock", text: "Punkter" },
    { $when: "${count(items) == 0}", type: "TextBlock", text: "Ingen punkter" },
    { $when: "${!hasData}", type: "TextBlock", text: "Intet endnu" },
    { $when: "${empty > 0 && command != 'hjælp'}", type: "TextBlock", text: "Tomme: ${empty}" },
    {
      $data: "${items}",
      type: "Container",
      id: "item:${id}",
      items: [
        { type: "TextBlock", text: "${$index}: ${text}" },
        { $when: "${note != ''}", type: "TextBlock", text: "Note: ${note}" },
        { type: "Input.ChoiceSet", id: "rating:${id}", choices: [{ $data: "${$root.scale}", title: "${title}", value: "${value}" }] },
        { type: "TextBlock", text: "${$root.token}" },
      ],
    },
    { $data: "${names}", type: "TextBlock", text: "• ${$data}" },
    { $data: "${single}", type: "TextBlock", text: "${text}" },
  ],
  actions: [{ type: "Action.Submit", title: "Send", data: { token: "${token}", flag: "${hasData}", n: "${empty}" } }],
};

const text = fc.string({ unit: fc.constantFrom("a", "Æ", "ø", " ", "'", '"', "$", "{", "}", "<", "\n", "😀", "${x}") });
const item = fc.record({ id: fc.stringMatching(/^[a-z0-9.-]{1,8}$/), text, note: fc.option(text, { nil: undefined }) });
const viewModel = fc.record(
  {
    title: text,
    subtitle: text,
    count: fc.integer({ min: -3, max: 40 }),
    items: fc.array(item, { maxLength: 4 }),
    hasData: fc.boolean(),
    empty: fc.integer({ min: 0, max: 3 }),
    command: fc.constantFrom("hjælp", "start"),
    scale: fc.array(fc.record({ title: text, value: fc.constantFrom("1", "2", "3") }), { maxLength: 3 }),
    token: text,
    names: fc.array(text, { maxLength: 3 }),
    single: fc.record({ text }),
  },
  // Left out now and then: an undefined field is shown as its own ${path}, and $when then reads it as false.
  { requiredKeys: ["items", "scale", "names", "single"] },
);

describe("Compiled card templates", () => {
  it("expand every construct the cards use exactly as adaptivecards-templating does, for any view model (property)", () => {
    const compiled = compileTemplate(TEMPLATE);
    const reference = new ACData.Template(TEMPLATE);
    fc.assert(
      fc.property(viewModel, (vm) => {
        assert.deepStrictEqual(compiled(vm), reference.expand({ $root: vm }));
      }),
      { numRuns: 300 },
    );
  });

  it("finds a property whatever its case, as adaptive-expressions does", () => {
    const template = { text: "${Title}", other: "${title}" };
    const vm = { title: "små bogstaver" };
    assert.deepStrictEqual(compileTemplate(template)(vm), new ACData.Template(template).expand({ $root: vm }));
    assert.deepStrictEqual(compileTemplate(template)(vm), { text: "små bogstaver", other: "små bogstaver" });
  });

  it("compiles every template in cards/ (start-up refuses one it cannot read)", () => {
    assert.ok(compileAllCards() >= 39);
  });

  it("refuses a template that uses what the compiler does not know, naming where", () => {
    assert.throws(() => compileTemplate({ body: [{ text: "${formatDateTime(when)}" }] }, "x"), (err: unknown) => err instanceof AppError && /x\.body\[0\]\.text/.test(String(err.message + JSON.stringify(err))));
    assert.throws(() => compileTemplate({ $data: ["a"] }, "x"), AppError);
    assert.throws(() => compileTemplate({ text: "${$host.name}" }, "x"), AppError);
  });
});
