module.exports = async function globalTeardown() {
  await globalThis.__WEB_STACK__?.stop();
};
