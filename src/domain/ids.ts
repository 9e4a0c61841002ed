/**
 * Branded ids: all plain strings at run time, but the compiler will not let a ThemeId be passed
 * where a UserId is expected. Values enter through the `as…` functions at the edges (activity
 * parsing, content loading, storage reads), which is where they are checked.
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type UserId = Brand<string, "UserId">;
export type TenantId = Brand<string, "TenantId">;
export type ConversationId = Brand<string, "ConversationId">;
export type ThemeId = Brand<string, "ThemeId">;
export type RoleId = Brand<string, "RoleId">;
export type StatementId = Brand<string, "StatementId">;
export type QuestionId = Brand<string, "QuestionId">;
export type ReflectionId = Brand<string, "ReflectionId">;

export const asUserId = (value: string): UserId => value as UserId;
export const asTenantId = (value: string): TenantId => value as TenantId;
export const asThemeId = (value: string): ThemeId => value as ThemeId;
export const asRoleId = (value: string): RoleId => value as RoleId;
export const asStatementId = (value: string): StatementId => value as StatementId;
export const asQuestionId = (value: string): QuestionId => value as QuestionId;
export const asReflectionId = (value: string): ReflectionId => value as ReflectionId;
