/** Dialog ids, in one place, so the whole conversation surface can be read from here. */
export const DialogIds = {
  reflection: "reflectionDialog",
  reflectionWaterfall: "reflectionDialog.waterfall",
  reflectionSteps: "reflectionSteps",
  changeRole: "changeRoleDialog",
  changeRoleWaterfall: "changeRoleDialog.waterfall",
  rolePrompt: "rolePrompt",
  themePrompt: "themePrompt",
  resumePrompt: "resumePrompt",
  confirmCancelPrompt: "confirmCancelPrompt",
} as const;
