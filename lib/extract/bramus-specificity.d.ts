/** @bramus/specificity/core (the calculator on css-tree ASTs, without the bundled copy of css-tree) has no types of its own: the part used here. */
declare module '@bramus/specificity/core' {
  export function calculateForAST(selectorAST: object): { value: { a: number; b: number; c: number } };
}
