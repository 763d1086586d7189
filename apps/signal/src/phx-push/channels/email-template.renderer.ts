import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { EmailType, SendEmailV3 } from 'phx-node';
import { ChannelError } from './channel-failure';
import { emailHtml, emailText } from './email-html';
import { EMAIL_LAYOUT_HTML, EMAIL_TEMPLATES } from './email-templates';

export interface RenderedEmail {
  html: string;
  /** Plain-text alternative for clients that do not show HTML. */
  text: string;
}

/** The e-mail block cannot be rendered: sending it again would fail the same way. */
export class EmailRenderError extends ChannelError {
  constructor(message: string) {
    super(message, false);
  }
}

type Template = HandlebarsTemplateDelegate<unknown>;

/**
 * Renders a `SendEmailV3` block with the template of its `emailType`.
 *
 * `content` and `description` are the caller's HTML (seed 004: "text/html"): they reach the body
 * only through `emailHtml`, which keeps formatting and absolute links and drops whatever could
 * run, submit, load or track; every other field is escaped. The text part is derived from the
 * rendered HTML, so both parts say the same.
 */
@Injectable()
export class EmailTemplateRenderer {
  private readonly layout: Template;
  private readonly templates: Map<string, Template>;

  constructor() {
    const handlebars = Handlebars.create();
    const compile = (source: string) => handlebars.compile(source, { knownHelpersOnly: true });
    this.layout = compile(EMAIL_LAYOUT_HTML);
    this.templates = new Map(
      Object.values(EmailType).map((type) => [type, compile(EMAIL_TEMPLATES[type])]),
    );
  }

  /** @throws {EmailRenderError} when the block lacks what its template needs. */
  render(email: SendEmailV3): RenderedEmail {
    const template = this.templates.get(email.emailType);
    if (!template) {
      const known = Object.values(EmailType).join(', ');
      throw new EmailRenderError(`unknown emailType "${email.emailType}" (known: ${known})`);
    }
    checkRenderable(email);
    const contentHtml = email.content ? emailHtml(email.content) : undefined;
    const descriptionHtml = email.description ? emailHtml(email.description) : undefined;
    if (email.emailType === EmailType.TRANSACTION_BASIC && !emailText(contentHtml ?? '').trim()) {
      // The title alone would read as a broken notice; the delivery log says why instead.
      throw new EmailRenderError(
        'cannot render transaction-basic e-mail: content has no text left once unsafe markup is removed',
      );
    }
    const body = template({ ...email, contentHtml, descriptionHtml });
    const html = this.layout({ title: email.title, previewText: email.previewText, body });
    return { html, text: emailText(html) };
  }
}

/**
 * The Producer validated the block; this guards what the templates rely on, so a bad stored
 * payload fails with a reason instead of rendering an empty or unsafe e-mail.
 */
function checkRenderable(email: SendEmailV3): void {
  const problems: string[] = [];
  if (!email.title?.trim()) problems.push('title is required');
  if (!email.previewText?.trim()) problems.push('previewText is required');
  if (email.emailType === EmailType.TRANSACTION_BASIC && !email.content?.trim()) {
    problems.push('content is required');
  }
  if (email.emailType === EmailType.HRM_REMIND) {
    if (!Array.isArray(email.listRequests) || email.listRequests.length === 0) {
      problems.push('listRequests must be a non-empty array');
    } else {
      email.listRequests.forEach((group, index) => {
        // Only http(s) may end up in an href.
        if (group.link !== undefined && !/^https?:\/\//i.test(group.link)) {
          problems.push(`listRequests[${index}].link must be an http(s) URL`);
        }
      });
    }
  }
  if (problems.length > 0) {
    throw new EmailRenderError(`cannot render ${email.emailType} e-mail: ${problems.join('; ')}`);
  }
}
