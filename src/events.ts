/**
 * The events the tracker knows, with their props: GA4's e-commerce and common events, and the tracker's own
 * (README, "Typed events"). Types only: nothing here reaches a bundle. `track()` takes any other name as a custom
 * event with free-form props.
 */
import type { Props, Stage } from './types';

/**
 * An ISO 4217 currency code, as `Intl.supportedValuesOf('currency')` lists them (Node 20). A code missing here:
 * `'XYZ' as Currency`.
 */
export type Currency =
  | 'AED'
  | 'AFN'
  | 'ALL'
  | 'AMD'
  | 'ANG'
  | 'AOA'
  | 'ARS'
  | 'AUD'
  | 'AWG'
  | 'AZN'
  | 'BAM'
  | 'BBD'
  | 'BDT'
  | 'BGN'
  | 'BHD'
  | 'BIF'
  | 'BMD'
  | 'BND'
  | 'BOB'
  | 'BRL'
  | 'BSD'
  | 'BTN'
  | 'BWP'
  | 'BYN'
  | 'BZD'
  | 'CAD'
  | 'CDF'
  | 'CHF'
  | 'CLP'
  | 'CNY'
  | 'COP'
  | 'CRC'
  | 'CUC'
  | 'CUP'
  | 'CVE'
  | 'CZK'
  | 'DJF'
  | 'DKK'
  | 'DOP'
  | 'DZD'
  | 'EGP'
  | 'ERN'
  | 'ETB'
  | 'EUR'
  | 'FJD'
  | 'FKP'
  | 'GBP'
  | 'GEL'
  | 'GHS'
  | 'GIP'
  | 'GMD'
  | 'GNF'
  | 'GTQ'
  | 'GYD'
  | 'HKD'
  | 'HNL'
  | 'HRK'
  | 'HTG'
  | 'HUF'
  | 'IDR'
  | 'ILS'
  | 'INR'
  | 'IQD'
  | 'IRR'
  | 'ISK'
  | 'JMD'
  | 'JOD'
  | 'JPY'
  | 'KES'
  | 'KGS'
  | 'KHR'
  | 'KMF'
  | 'KPW'
  | 'KRW'
  | 'KWD'
  | 'KYD'
  | 'KZT'
  | 'LAK'
  | 'LBP'
  | 'LKR'
  | 'LRD'
  | 'LSL'
  | 'LYD'
  | 'MAD'
  | 'MDL'
  | 'MGA'
  | 'MKD'
  | 'MMK'
  | 'MNT'
  | 'MOP'
  | 'MRU'
  | 'MUR'
  | 'MVR'
  | 'MWK'
  | 'MXN'
  | 'MYR'
  | 'MZN'
  | 'NAD'
  | 'NGN'
  | 'NIO'
  | 'NOK'
  | 'NPR'
  | 'NZD'
  | 'OMR'
  | 'PAB'
  | 'PEN'
  | 'PGK'
  | 'PHP'
  | 'PKR'
  | 'PLN'
  | 'PYG'
  | 'QAR'
  | 'RON'
  | 'RSD'
  | 'RUB'
  | 'RWF'
  | 'SAR'
  | 'SBD'
  | 'SCR'
  | 'SDG'
  | 'SEK'
  | 'SGD'
  | 'SHP'
  | 'SLE'
  | 'SLL'
  | 'SOS'
  | 'SRD'
  | 'SSP'
  | 'STN'
  | 'SVC'
  | 'SYP'
  | 'SZL'
  | 'THB'
  | 'TJS'
  | 'TMT'
  | 'TND'
  | 'TOP'
  | 'TRY'
  | 'TTD'
  | 'TWD'
  | 'TZS'
  | 'UAH'
  | 'UGX'
  | 'USD'
  | 'UYU'
  | 'UZS'
  | 'VES'
  | 'VND'
  | 'VUV'
  | 'WST'
  | 'XAF'
  | 'XCD'
  | 'XCG'
  | 'XDR'
  | 'XOF'
  | 'XPF'
  | 'XSU'
  | 'YER'
  | 'ZAR'
  | 'ZMW'
  | 'ZWG'
  | 'ZWL';

/** The keys GA4 defines for an item, besides `item_id` and `item_name`. */
export type ItemFields = {
  affiliation?: string;
  coupon?: string;
  discount?: number;
  index?: number;
  item_brand?: string;
  item_category?: string;
  item_category2?: string;
  item_category3?: string;
  item_category4?: string;
  item_category5?: string;
  item_list_id?: string;
  item_list_name?: string;
  item_variant?: string;
  location_id?: string;
  price?: number;
  quantity?: number;
  promotion_id?: string;
  promotion_name?: string;
  creative_name?: string;
  creative_slot?: string;
};

/**
 * One item of a commerce event, in GA4's vocabulary: `item_id` or `item_name` (or both), and GA4's item keys. A
 * custom item parameter (GA4 allows them): `{ item_id: 'A', color: 'red' } as Item`.
 */
export type Item = ItemFields & ({ item_id: string; item_name?: string } | { item_id?: string; item_name: string });

/** Internal: an item as the tracker handles it, read from markup, a cart or a shop's answer (not checked yet). */
export type Line = ItemFields & { item_id?: string; item_name?: string; [key: string]: unknown };

/** Money and items: the props of GA4's cart and product events. */
export type CommerceProps = {
  currency?: Currency;
  value?: number;
  items?: Item[];
};

/** A purchase or a refund: `transaction_id` makes a reloaded thank-you page send no second purchase. */
export type OrderProps = CommerceProps & {
  transaction_id?: string;
  affiliation?: string;
  coupon?: string;
  shipping?: number;
  tax?: number;
  customer_type?: 'new' | 'returning';
};

type ListProps = {
  item_list_id?: string;
  item_list_name?: string;
  items?: Item[];
};

type PromotionProps = {
  creative_name?: string;
  creative_slot?: string;
  promotion_id?: string;
  promotion_name?: string;
  items?: Item[];
};

/**
 * Known event names and their props. Extend it with your own events (their props are then checked too):
 * `declare module 'journey-tracker' { interface Events { quote_requested: { sku: string } } }`.
 */
export interface Events {
  // GA4 e-commerce
  view_item: CommerceProps;
  view_item_list: ListProps;
  select_item: ListProps;
  view_promotion: PromotionProps;
  select_promotion: PromotionProps;
  add_to_wishlist: CommerceProps;
  add_to_cart: CommerceProps;
  remove_from_cart: CommerceProps;
  view_cart: CommerceProps;
  begin_checkout: CommerceProps & { coupon?: string };
  add_shipping_info: CommerceProps & { coupon?: string; shipping_tier?: string };
  add_payment_info: CommerceProps & { coupon?: string; payment_type?: string };
  purchase: OrderProps;
  refund: OrderProps;
  // GA4 common events
  search: { search_term?: string };
  login: { method?: string };
  sign_up: { method?: string };
  share: { method?: string; content_type?: string; item_id?: string };
  generate_lead: { currency?: Currency; value?: number; lead_source?: string };
  // The tracker's own (README, "Journey stages"; the plugins)
  page_view: Props;
  page_leave: { engaged_ms?: number };
  stage_change: { from: Stage; to: Stage };
  /** Net Promoter Score: 9 and 10 move the visitor to advocacy. */
  nps_response: { score: number; comment?: string };
  write_review: { rating?: number; item_id?: string };
  referral_share: { method: string; url?: string };
  cart_abandoned: CommerceProps & { session_id?: string };
  web_vital: {
    name: 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB';
    value: number;
    rating?: 'good' | 'needs-improvement' | 'poor';
    id?: string;
  };
}

export type EventName = keyof Events;

/**
 * The props `track()` takes for an event: a known event's own (a misspelt key is an error), free-form for any other
 * name. `string & {}` keeps editors completing the known names while any string is allowed.
 */
export type PropsOf<K extends string> = K extends EventName ? Events[K] : Props;

/** `track()`'s signature, shared by the tracker and a plugin's `ctx`. */
export type Track = <K extends EventName | (string & {})>(type: K, props?: PropsOf<K>) => void;
