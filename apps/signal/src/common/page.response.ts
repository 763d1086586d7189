import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/** The schema of a cursor-paged answer `{ items, nextCursor }` of `Item`s, named `<Item>Page`. */
export function PageResponse<Item>(item: Type<Item>, nextCursor: string): Type<unknown> {
  class Page {
    @ApiProperty({ type: [item] })
    items!: Item[];

    @ApiProperty({ type: String, nullable: true, description: nextCursor })
    nextCursor!: string | null;
  }
  // Swagger names component schemas after the class.
  Object.defineProperty(Page, 'name', { value: `${item.name.replace(/Response$/, '')}Page` });
  return Page;
}
