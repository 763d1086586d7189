import Handlebars from 'handlebars';
import { compile as compileHtmlToText } from 'html-to-text';
import sanitizeHtml from 'sanitize-html';

/**
 * What callers' HTML (`content`, `description` of `SendEmailV3`) may keep in a PHX e-mail: the
 * formatting a notice needs and absolute links, nothing that runs, submits, loads or hides.
 */

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

const ALLOWED_TAGS = [
  ...['p', 'br', 'hr', 'div', 'span', 'blockquote', 'pre', 'code'],
  ...['b', 'strong', 'i', 'em', 'u', 's', 'small', 'sub', 'sup'],
  ...HEADINGS,
  ...['ul', 'ol', 'li'],
  ...['table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td'],
  'a',
];

// Disallowed tags are dropped and their text kept, except in these, whose text is never meant to
// be read (sanitize-html's own four first, which must stay).
const NON_TEXT_TAGS = [
  ...['script', 'style', 'textarea', 'option'],
  ...['title', 'noscript', 'template', 'xmp', 'iframe', 'object', 'svg', 'math'],
];

const CELL_ATTRIBUTES = ['colspan', 'rowspan', 'align', 'valign', 'width'];

// Values only: no `url(…)`, `expression(…)` or anything else that loads or runs.
const COLOR = [
  /^#[0-9a-f]{3,8}$/i,
  /^rgba?\(\s*\d{1,3}%?(\s*,\s*\d{1,3}%?){2}(\s*,\s*(0|1|0?\.\d+))?\s*\)$/i,
  /^[a-z]{3,20}$/i,
];
const FONT_SIZE = [/^\d{1,3}(\.\d{1,2})?(px|pt|em|rem|%)$/i];

/** Inline styles: colours and text formatting, nothing that positions, hides or loads. */
const ALLOWED_STYLES: Record<string, RegExp[]> = {
  color: COLOR,
  'background-color': COLOR,
  'font-size': FONT_SIZE,
  'font-weight': [/^(normal|bold|bolder|lighter|[1-9]00)$/i],
  'font-style': [/^(normal|italic)$/i],
  'text-align': [/^(left|right|center|justify)$/i],
  'text-decoration': [/^(none|underline|line-through)$/i],
};

const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * An absolute http(s) or mailto URL as a browser would read it, or nothing: a relative URL has
 * no page to be relative to in an inbox, and any other scheme is refused. The WHATWG parser sees
 * through case, entities (already decoded), tabs, newlines and leading control characters.
 */
function linkTarget(href: string | undefined): URL | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return LINK_PROTOCOLS.has(url.protocol) ? url : null;
  } catch {
    return null;
  }
}

const EMAIL_HTML_POLICY: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  disallowedTagsMode: 'discard',
  nonTextTags: NON_TEXT_TAGS,
  allowedAttributes: {
    '*': ['style'],
    a: ['href', 'rel', 'target'],
    ...Object.fromEntries(['p', 'div', ...HEADINGS].map((tag) => [tag, ['align']])),
    table: ['width', 'border', 'cellpadding', 'cellspacing', 'align'],
    td: CELL_ATTRIBUTES,
    th: CELL_ATTRIBUTES,
    ol: ['start'],
  },
  allowedStyles: { '*': ALLOWED_STYLES },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // Tags nested deeper are dropped (their text kept): bounds the work of the text conversion.
  nestingLimit: 40,
  transformTags: {
    // The caller's attributes of a link are replaced: its checked URL, and no access to the
    // opening window for a page opened from webmail.
    a: (tagName, attribs) => {
      const url = linkTarget(attribs.href);
      if (!url) return { tagName, attribs: {} };
      const web = url.protocol !== 'mailto:';
      return {
        tagName,
        attribs: {
          href: url.href,
          rel: 'noopener noreferrer',
          ...(web ? { target: '_blank' } : {}),
        },
      };
    },
  },
};

// A tag, end tag, comment or doctype; "a < b" and "<tên>" are text.
const MARKUP = /<(\/?[a-z][a-z0-9-]*[\s/>]|!)/i;

/**
 * `content` or `description` as HTML for an e-mail body. With any markup it is HTML, sanitized by
 * the policy above; without, it is plain text: escaped, its line breaks kept.
 */
export function emailHtml(source: string): string {
  if (!MARKUP.test(source)) {
    return Handlebars.escapeExpression(source).replace(/\r?\n/g, '<br>\n');
  }
  return sanitizeHtml(source, EMAIL_HTML_POLICY);
}

/** Class of the layout cell that holds the title and the body: the text part's source. */
export const EMAIL_MESSAGE_CLASS = 'message';

const htmlToText = compileHtmlToText({
  // Mail clients wrap; a hard wrap would break long links and Vietnamese words mid-line.
  wordwrap: false,
  // The pre-header is the inbox preview, not part of the message.
  baseElements: { selectors: [`td.${EMAIL_MESSAGE_CLASS}`] },
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    // The title stands apart; a heading of the body sits right above its list.
    { selector: 'h1', options: { uppercase: false } },
    ...HEADINGS.slice(1).map((selector) => ({
      selector,
      options: { uppercase: false, leadingLineBreaks: 2, trailingLineBreaks: 1 },
    })),
    { selector: 'ul', options: { itemPrefix: '- ', leadingLineBreaks: 1 } },
    { selector: 'ol', options: { leadingLineBreaks: 1 } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
});

/**
 * The text/plain part of a rendered e-mail (or a fragment of one): links as "text [url]", lists
 * and table rows as lines, no markup.
 */
export function emailText(html: string): string {
  return `${htmlToText(html)}\n`;
}
