/**
 * What of a URL may be stored: query parameters that carry secrets or personal data are removed, and e-mail
 * addresses anywhere in it are masked. Commerce ids live in props, never here, so nothing else is touched.
 */
const SECRET_PARAMS = 'token,access_token,auth,password,pass,pwd,secret,key,apikey,api_key,email,e-mail,mail,phone,tel,session,sessionid,session_id,sid,code,state'.split(',');
const EMAIL = /[^\s@/?&=#:]+(@|%40)[^\s@/?&=#]+\.[a-z]{2,}/gi;

export const scrubText = (s: string): string => s.replace(EMAIL, '[email]');

export const createUrlCleaner = (extra: string[] = []) => {
  const strip = SECRET_PARAMS.concat(extra.map((p) => p.toLowerCase()));
  return (href: string): string => {
    try {
      const url = new URL(href);
      for (const name of Array.from(url.searchParams.keys())) {
        if (strip.includes(name.toLowerCase())) url.searchParams.delete(name);
      }
      return scrubText(url.href);
    } catch {
      return scrubText(String(href).slice(0, 2000));
    }
  };
};
