import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { version } from '../../../package.json';
import { API_DOCS_SECURITY } from './common/api-docs.decorators';

const DESCRIPTION = [
  'Signal, the notification platform: activity notifications (Kafka → PostgreSQL → Socket.IO),',
  'PHX push (Producer `POST /emit/inapp-noti`, Consumer delivering push, e-mail and in-app),',
  'the Notification Center, and the admin API of settings, preferences, devices and the delivery log.',
  '',
  'Users call with `Authorization: Bearer <JWT>` (claims `sub`, `organizerId`, `merchantIds`);',
  'services and operators with header `x-api-key`. Every error answers `{ statusCode, error, message }`.',
].join('\n');

/** The OpenAPI document of every mounted HTTP route: the UI at `/docs`, the JSON at `/docs-json`. */
export function serveApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Signal')
    .setVersion(version)
    .setDescription(DESCRIPTION)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'A user JWT (HS256 or RS256) with claims sub, organizerId, merchantIds',
      },
      API_DOCS_SECURITY.bearer,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'x-api-key',
        description:
          'A service or operator key, one of SIGNAL_API_KEYS, with the scope the route needs: emit (socket emits), producer (POST /emit/inapp-noti) or admin (/admin/...)',
      },
      API_DOCS_SECURITY.apiKey,
    )
    .build();
  // A factory: the document is built on the first request, not on every boot.
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
