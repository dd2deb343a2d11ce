import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import {
  type AnswerTemplate,
  type AnswerTemplateStore,
  type TemplateExpectation,
  UNREADABLE,
} from '../domain/operator/answer-templates.js';
import { conditionHeld } from './conditional-write.js';
import { ANSWER_TEMPLATE_SK_PREFIX, answerTemplateKey, answerTemplatesPk } from './inquiry-keys.js';

/** The item's `entity`: no reader of inquiries, messages or citizens' records takes it. */
const ENTITY = 'answer-template';

const storedTemplate = z.object({
  templateId: z.string(),
  department: z.string(),
  title: z.string(),
  text: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.object({ id: z.string(), name: z.string() }),
});

const templateOf = (item: Record<string, unknown>): AnswerTemplate | undefined => {
  const read = storedTemplate.safeParse(item);
  if (!read.success) return undefined;
  const { templateId, ...template } = read.data;
  return { id: templateId, ...template };
};

/**
 * A department's answer templates in the inquiry table, under keys of their own (inquiry-keys.ts). An item that
 * does not read as a template (edited by hand) is left out, and told by its key alone.
 */
export class DynamoAnswerTemplates implements AnswerTemplateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly onMalformed: (key: { pk: string; sk: string }) => void = () => {},
  ) {}

  async list(department: string): Promise<AnswerTemplate[]> {
    const templates: AnswerTemplate[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ ...this.departmentQuery(department), ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) {
        const template = templateOf(item);
        if (template) templates.push(template);
        else this.onMalformed({ pk: String(item.pk), sk: String(item.sk) });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return templates;
  }

  async count(department: string): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          ...this.departmentQuery(department),
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  }

  /** The department's templates, read consistently: one saved a moment ago by a colleague is among them. */
  private departmentQuery(department: string) {
    return {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': answerTemplatesPk(department), ':sk': ANSWER_TEMPLATE_SK_PREFIX },
      ConsistentRead: true,
    };
  }

  async get(department: string, id: string): Promise<AnswerTemplate | typeof UNREADABLE | undefined> {
    const key = answerTemplateKey(department, id);
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    const template = templateOf(result.Item);
    if (template) return template;
    this.onMalformed(key);
    return UNREADABLE;
  }

  put(template: AnswerTemplate, expected: TemplateExpectation): Promise<boolean> {
    const { id, ...rest } = template;
    return conditionHeld(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...answerTemplateKey(template.department, id), entity: ENTITY, templateId: id, ...rest },
          ...condition(expected),
        }),
      ),
    );
  }

  delete(department: string, id: string, expected: { version: number } | 'any'): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: answerTemplateKey(department, id),
          ...condition(expected),
        }),
      ),
    );
  }
}

/** The condition a write holds to: the stored template at a version, none stored, or none asked. */
const condition = (expected: TemplateExpectation) =>
  expected === 'any'
    ? {}
    : expected === 'absent'
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': expected.version },
        };
