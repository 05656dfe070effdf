/** The `american-english` package (a list of British → American spelling pairs from tysto.com): the maps only. */
declare module 'american-english' {
  const spelling: { us_spelling: Record<string, string>; uk_spelling: Record<string, string> };
  export default spelling;
}
