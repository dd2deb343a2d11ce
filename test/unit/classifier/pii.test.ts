import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../../lambdas/domain/classifier/pii.js';

describe('maskPersonalData', () => {
  it.each([
    ['звоните +7 (912) 345-67-89', 'звоните [телефон]'],
    ['мой номер 89123456789.', 'мой номер [телефон].'],
    ['тел. 8 342 212-34-56', 'тел. [телефон]'],
    ['тел. 22-33-44', 'тел. [телефон]'],
    ['звоните 8.916.123.45.67', 'звоните [телефон]'],
    ['номер 916.123.45.67, Анна', 'номер [телефон], Анна'],
    ['8 (916) 123.45.67', '[телефон]'],
    ['д. 5. 89123456789', 'д. 5. [телефон]'],
    ['с 12.03.2022 звоню на 89123456789', 'с 12.03.2022 звоню на [телефон]'],
    ['Мой тел. (342) 212-34-56, звоните вечером', 'Мой тел. [телефон], звоните вечером'],
    ['дом (34271) 2-34-56', 'дом [телефон]'],
    ['телефон 212 34 56 или тел. 2123456', 'телефон [телефон] или тел. [телефон]'],
  ])('masks phone numbers: %s', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each([
    ['звоните 8\u00a0912\u00a0123\u00a045\u00a067', 'звоните [телефон]'],
    ['+7\u2009(912)\u2009123-45-67', '[телефон]'],
    ['8 912 123\u201145\u201167', '[телефон]'],
    ['тел. 8 912 123–45–67', 'тел. [телефон]'],
    ['тел.\u00a022\u201133\u201144', 'тел.\u00a0[телефон]'],
    ['карта 4276\u00a01600\u00a01234\u00a05678', 'карта [карта]'],
    ['СНИЛС 123\u2011456\u2011789\u00a001', 'СНИЛС [снилс]'],
    ['полис ОМС 5950\u202f0000\u202f1234\u202f5678', 'полис ОМС [полис]'],
    ['паспорт 57\u00a004\u00a0123456', 'паспорт [паспорт]'],
    ['паспорт 57-04-123456', 'паспорт [паспорт]'],
    ['паспорт 5704-123456', 'паспорт [паспорт]'],
  ])('masks numbers grouped by a no-break or thin space, or by any dash: %s', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each([
    ['домашний 234567, звоните вечером', 'домашний [телефон], звоните вечером'],
    ['городской 2-34-56 (Бердск)', 'городской [телефон] (Бердск)'],
    ['звонить по номеру 25-15-15', 'звонить по номеру [телефон]'],
    ['по заявке звоните 89171234567', 'по заявке звоните [телефон]'],
    ['договор на меня, тел. 89171234567', 'договор на меня, тел. [телефон]'],
  ])(
    'masks a short city number after a word for a phone, and a phone after other words: %s',
    (input, expected) => {
      expect(maskPersonalData(input)).toBe(expected);
    },
  );

  it.each([
    ['мой номер +375 29 123-45-67', 'мой номер [телефон]'],
    ['звоните +380 (67) 123 45 67', 'звоните [телефон]'],
    ['WhatsApp +998901234567.', 'WhatsApp [телефон].'],
    ['+374 10 123456', '[телефон]'],
  ])('masks phone numbers written with another country code: %s', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each([
    ['пишите на ivan.petrov-1@mail.ru, отвечу', 'пишите на [email], отвечу'],
    ['почта: Ivan_Petrov-1980@yandex.ru.', 'почта: [email].'],
    ['a@b.ru,c@sub.d.рф', '[email],[email]'],
    ['иван@почта.рф', '[email]'],
  ])('masks e-mails: %s', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each([
    ['пишите ivanov собака mail.ru', 'пишите [email]'],
    ['почта ivan.petrov(at)yandex.ru, жду ответа', 'почта [email], жду ответа'],
    ['ivanov [at] mail.ru', '[email]'],
    ['ответ на ivanov @ mail.ru', 'ответ на [email]'],
  ])('masks e-mails whose @ is disguised or spaced: %s', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it('leaves an @ without an address alone, and a long word without one', () => {
    expect(maskPersonalData('встреча @ 10:00 у @admin')).toBe('встреча @ 10:00 у @admin');
    const word = 'а'.repeat(9000);
    expect(maskPersonalData(word)).toBe(word);
  });

  it.each([
    ['паспорт 5704 123456 выдан', 'паспорт [паспорт] выдан'],
    ['паспорт серии 57 04 № 654321', 'паспорт серии [паспорт]'],
    ['серия 57 12 номер 345678, выдан ОВД', 'серия [паспорт], выдан ОВД'],
  ])('masks passport numbers: %s', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each([
    ['СНИЛС 123-456-789 01', 'СНИЛС [снилс]'],
    ['снилс: 12345678901', 'снилс: [снилс]'],
  ])('masks SNILS: %s', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it('masks SNILS named after its number', () => {
    expect(maskPersonalData('12345678901 мой снилс')).toBe('[снилс] мой снилс');
    expect(maskPersonalData('123 456 789 01 - СНИЛС мамы')).toBe('[снилс] - СНИЛС мамы');
  });

  it.each([
    ['машина А123ВС 116 стоит на газоне', 'машина [госномер] стоит на газоне'],
    ['госномер а123вс116rus', 'госномер [госномер]'],
    ['Газель с номером о777оо 59 хамит', 'Газель с номером [госномер] хамит'],
  ])('masks car plates: %s', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each([
    ['ИНН 590412345678', 'ИНН [инн]'],
    ['мой инн: 590412345678.', 'мой инн: [инн].'],
    ['ИНН № 590412345678', 'ИНН № [инн]'],
    ['мой ИНН - 590412345678, паспорт', 'мой ИНН - [инн], паспорт'],
    ['ИНН — 590412345678', 'ИНН — [инн]'],
  ])("masks a person's taxpayer number: %s", (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it("leaves an organisation's taxpayer number, which is public", () => {
    expect(maskPersonalData('ИНН управляющей компании 5904123456')).toBe(
      'ИНН управляющей компании 5904123456',
    );
    expect(maskPersonalData('ИНН 5904123456')).toBe('ИНН 5904123456');
  });

  it.each([
    ['карта 4276 1600 1234 5678', 'карта [карта]'],
    ['на карту 4276160012345678 перевёл', 'на карту [карта] перевёл'],
    ['карта 2200 1234 5678 9012 345', 'карта [карта]'],
    ['карта 2200-1234-5678-9012-3', 'карта [карта]'],
  ])('masks bank cards: %s', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each([
    ['полис ОМС 5950 0000 1234 5678', 'полис ОМС [полис]'],
    ['Полис № 5950000012345678, а карту не дают', 'Полис № [полис], а карту не дают'],
  ])('masks health insurance policies: %s', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each([
    ['на счет 40817810099910004312 не пришло', 'на счет [счет] не пришло'],
    ['р/с 40817.810.0.9991.0004312', 'р/с [счет]'],
  ])('masks bank accounts: %s', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each([
    'лицевой счет 123456789, долг 5 000 руб.',
    'серия задач 3 из 10',
    'ул. Ленина, д. 25, кв. 14',
    'с 12.03.2022 по 01.04.2022 в 14:30',
    'начислили 15 000 руб., а в прошлом месяце 1 500 000 рублей на весь дом',
    'выделено 9 000 000 000 рублей',
    'автобус 112, школа №76, 2023 год',
    'сервер 192.168.100.100 не отвечает',
    'прием с 9.00 до 18.00, 12.03.2022 закрыто',
    'на +15 градусов, +7 к тарифу',
    'бюджет +1 500 000 000 руб.',
    'номер заявки 1234567, номер 123456',
    'ЛС 9171234567 оплачен',
    'лицевой счет 92 04 123456',
    'л/с 4276160012345678',
    'договор 7812 345678 от 01.02.2023',
    'ОГРН 1021602845678, ОГРНИП 304590123456789',
    'номер заявки 89171234567, заявка № 79171234567',
    'автобус 112, маршрут 10а, корпус 2б',
    'ссылка rss[телефон]-976298670',
    'в 2023 году 123 семьи (45%), (2024) 12 345',
  ])('leaves dates, house numbers and sums alone: %s', (text) => {
    expect(maskPersonalData(text)).toBe(text);
  });
});
