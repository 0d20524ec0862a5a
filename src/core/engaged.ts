/** Visible time on the current page: the clock runs only while the document is visible. */
export const createEngagedClock = () => {
  const visible = () => document.visibilityState != 'hidden';
  let total = 0;
  let since = visible() ? performance.now() : -1;
  /** Call on every visibility change. */
  const update = (): void => {
    if (since >= 0) total += performance.now() - since;
    since = visible() ? performance.now() : -1;
  };
  return {
    update,
    /** Visible milliseconds since the last take. */
    take(): number {
      update();
      const ms = Math.round(total);
      total = 0;
      return ms;
    },
  };
};
