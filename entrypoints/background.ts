export default defineBackground(() => {
  // The extension issue wires lookups, sync and reports here.
});
