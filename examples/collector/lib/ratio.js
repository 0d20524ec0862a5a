/** n ÷ d, or null when there is nothing to divide by (the report shows "–", never 0% of nothing). @param {number} n @param {number} d */
export const rate = (n, d) => (d ? n / d : null);
