import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsInt, IsString, MaxLength, ValidateNested, validateSync } from 'class-validator';
import { validationViolations } from './validation-violations';

class NotificationDto {
  @IsString()
  @MaxLength(3)
  title!: string;
}

class EventDto {
  @IsInt()
  version!: number;

  @ValidateNested()
  @Type(() => NotificationDto)
  notification!: NotificationDto;
}

function violationsOf(plain: object) {
  return validationViolations(validateSync(plainToInstance(EventDto, plain)));
}

describe(validationViolations.name, () => {
  it('should give nothing for a valid object', () => {
    expect(violationsOf({ version: 1, notification: { title: 'hi' } })).toEqual([]);
  });

  it('should list a top-level property as not nested, with its messages', () => {
    const sut = violationsOf({ version: 'one', notification: { title: 'hi' } });

    expect(sut).toEqual([
      { path: 'version', nested: false, messages: ['version must be an integer number'] },
    ]);
  });

  it('should give a nested property its dotted path and every constraint it failed', () => {
    const sut = violationsOf({ version: 1, notification: { title: 1234 } });

    expect(sut).toEqual([
      {
        path: 'notification.title',
        nested: true,
        messages: ['title must be shorter than or equal to 3 characters', 'title must be a string'],
      },
    ]);
  });

  it('should list parents before their children, and skip a parent that only holds children', () => {
    const sut = violationsOf({ version: 'one', notification: { title: 1234 } });

    expect(sut.map((violation) => violation.path)).toEqual(['version', 'notification.title']);
  });
});
