/** Readability's module on its own (the package's index adds isProbablyReaderable, which the content script does not need). */
declare module '@mozilla/readability/Readability.js' {
  import { Readability } from '@mozilla/readability';
  export default Readability;
}
