// Names that the config checks and the renderer must agree on: two route or key names that give
// the same logical-id fragment would collide in the template, so the checks use the same function.

/** `quiz-id` / `{quizId}` / `proxy+` → `QuizId` / `QuizId` / `Proxy`: a logical-id fragment. */
export function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
