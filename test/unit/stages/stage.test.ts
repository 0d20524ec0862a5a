import { describe, expect, it } from 'vitest';
import { STAGES, isStage, nextStage, sessionStage, stageOfEvent } from '../../../src/stages/stage';
import type { Stage } from '../../../src/types';

describe('STAGES and isStage', () => {
  it('lists the five stages in funnel order', () => {
    expect(STAGES).toEqual(['awareness', 'consideration', 'conversion', 'retention', 'advocacy']);
  });

  it.each([['awareness'], ['advocacy']])('accepts %s', (v) => expect(isStage(v)).toBe(true));

  it.each([['Awareness'], [''], [undefined], [null], [3], ['toString'], [{}]])('refuses %o', (v) =>
    expect(isStage(v)).toBe(false),
  );
});

describe('stageOfEvent', () => {
  const table: [string, Stage | undefined][] = [
    ['view_item', 'consideration'],
    ['view_item_list', 'consideration'],
    ['select_item', 'consideration'],
    ['search', 'consideration'],
    ['add_to_wishlist', 'consideration'],
    ['view_promotion', 'consideration'],
    ['add_to_cart', 'conversion'],
    ['remove_from_cart', 'conversion'],
    ['view_cart', 'conversion'],
    ['begin_checkout', 'conversion'],
    ['add_shipping_info', 'conversion'],
    ['add_payment_info', 'conversion'],
    ['purchase', 'conversion'],
    ['login', 'retention'],
    ['share', 'advocacy'],
    ['referral_share', 'advocacy'],
    ['write_review', 'advocacy'],
    ['page_view', undefined],
    ['stage_change', undefined],
    ['web_vital', undefined],
    ['view', undefined], // a prefix of view_item is no match
    ['purchase ', undefined],
    ['', undefined],
  ];
  it.each(table)('%s -> %s', (type, stage) => expect(stageOfEvent(type, {})).toBe(stage));

  it.each([
    [9, 'advocacy'],
    [10, 'advocacy'],
    ['9', 'advocacy'],
    [' 10 ', 'advocacy'],
    [8, undefined],
    ['8', undefined],
    [11, undefined],
    [9.5, undefined],
    [0, undefined],
    ['', undefined],
    ['nine', undefined],
    [[9], undefined],
    [null, undefined],
    [true, undefined],
    [undefined, undefined],
  ])('nps_response with score %o -> %s', (score, stage) => expect(stageOfEvent('nps_response', { score })).toBe(stage));

  it('nps_response without props has no stage and does not throw', () => {
    expect(stageOfEvent('nps_response', undefined as never)).toBeUndefined();
  });
});

describe('nextStage', () => {
  it('leaves the stage as it is without a candidate', () => {
    for (const s of STAGES) {
      expect(nextStage(s, undefined, false)).toBe(s);
      expect(nextStage(s, undefined, true)).toBe(s);
    }
  });

  it('moves anyone to advocacy on an advocacy candidate (rule 2)', () => {
    for (const s of STAGES) {
      expect(nextStage(s, 'advocacy', false)).toBe('advocacy');
      expect(nextStage(s, 'advocacy', true)).toBe('advocacy');
    }
  });

  // rule 3: a visitor who purchased in an earlier session
  it.each([
    ['retention', 'consideration', 'retention'],
    ['retention', 'awareness', 'retention'],
    ['retention', 'retention', 'retention'],
    ['retention', 'conversion', 'conversion'],
    ['conversion', 'consideration', 'retention'],
    ['conversion', 'conversion', 'conversion'],
    ['advocacy', 'consideration', 'retention'],
  ] as [Stage, Stage, Stage][])('retained visitor in %s with %s candidate -> %s', (from, cand, to) =>
    expect(nextStage(from, cand, true)).toBe(to),
  );

  // rule 4: everyone else follows the candidate, backwards too
  it.each([
    ['awareness', 'consideration', 'consideration'],
    ['consideration', 'conversion', 'conversion'],
    ['conversion', 'consideration', 'consideration'],
    ['advocacy', 'consideration', 'consideration'],
    ['conversion', 'retention', 'retention'],
    ['retention', 'awareness', 'awareness'],
  ] as [Stage, Stage, Stage][])('visitor in %s with %s candidate -> %s', (from, cand, to) =>
    expect(nextStage(from, cand, false)).toBe(to),
  );

  it('ignores a candidate that is not a stage', () => {
    expect(nextStage('conversion', 'nonsense' as Stage, false)).toBe('conversion');
  });
});

describe('sessionStage', () => {
  it('starts a buyer in retention, whatever the arrival', () => {
    expect(sessionStage('conversion', true, false)).toBe('retention');
    expect(sessionStage('advocacy', true, true)).toBe('retention');
    expect(sessionStage(undefined, true, true)).toBe('retention');
  });

  it('starts a new visitor in awareness', () => {
    expect(sessionStage(undefined, false, false)).toBe('awareness');
  });

  it('starts a non-buyer arriving from outside in awareness', () => {
    expect(sessionStage('conversion', false, true)).toBe('awareness');
  });

  it('continues a direct or internal visit where it left off', () => {
    expect(sessionStage('conversion', false, false)).toBe('conversion');
    expect(sessionStage('advocacy', false, false)).toBe('advocacy');
  });

  it('treats a corrupt stored stage as none', () => {
    expect(sessionStage('bogus' as Stage, false, false)).toBe('awareness');
  });
});
