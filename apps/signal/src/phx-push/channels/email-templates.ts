import { EmailType } from 'phx-node';
import { EMAIL_MESSAGE_CLASS } from './email-html';

/**
 * Handlebars sources of the PHX e-mails (seed 004 §9), one HTML body per `EmailType`; the
 * plain-text part is derived from the rendered HTML. Every value is escaped (`{{…}}`) except
 * two deliberate raw insertions: `{{{contentHtml}}}` and `{{{descriptionHtml}}}`, which the
 * renderer fills only with the caller's HTML after sanitizing it (`emailHtml`), and
 * `{{{body}}}`, the already rendered body.
 */

// Padding after the pre-header keeps mail clients from filling the inbox preview with body text.
const PREHEADER_PADDING = '&#847;&zwnj;&nbsp;'.repeat(60);

/** The frame of every PHX e-mail; the first element of the body is the hidden pre-header. */
export const EMAIL_LAYOUT_HTML = `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
</head>
<body style="margin:0;padding:0;background:#f4f5f7;">
<div class="preheader" style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;color:transparent;">{{previewText}}${PREHEADER_PADDING}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:8px;font-family:Arial,Helvetica,sans-serif;color:#1f2933;">
<tr><td class="${EMAIL_MESSAGE_CLASS}" style="padding:32px;">
<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;">{{title}}</h1>
{{{body}}}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;

const TRANSACTION_BASIC_HTML = `<div class="content" style="font-size:15px;line-height:1.6;">{{{contentHtml}}}</div>
`;

const HRM_REMIND_HTML = `{{#if descriptionHtml}}
<div class="description" style="margin:0 0 16px;font-size:15px;line-height:1.6;">{{{descriptionHtml}}}</div>
{{/if}}
{{#each listRequests}}
<div class="request-group" style="margin:0 0 20px;padding:16px;border:1px solid #e4e7eb;border-radius:6px;">
<h2 style="margin:0 0 8px;font-size:17px;">{{title}} <span class="total">({{total}})</span></h2>
{{#if requests.length}}
<ul style="margin:0 0 8px;padding-left:20px;font-size:14px;line-height:1.6;">
{{#each requests}}
<li>{{title}}{{#if requester}} — {{requester}}{{/if}}{{#if createdAt}} <span style="color:#7b8794;">({{createdAt}})</span>{{/if}}</li>
{{/each}}
</ul>
{{/if}}
{{#if link}}
<a href="{{link}}" style="display:inline-block;padding:8px 16px;background:#2563eb;color:#ffffff;border-radius:4px;text-decoration:none;font-size:14px;">Xem chi tiết</a>
{{/if}}
</div>
{{/each}}
`;

/** Body sources per e-mail type; the body goes into {@link EMAIL_LAYOUT_HTML}. */
export const EMAIL_TEMPLATES: Record<EmailType, string> = {
  [EmailType.TRANSACTION_BASIC]: TRANSACTION_BASIC_HTML,
  [EmailType.HRM_REMIND]: HRM_REMIND_HTML,
};
