import { describe, expect, it } from 'vitest';
import { dangerSigns } from '../../../lambdas/domain/classifier/critical.js';
import { normaliseText, tokenise } from '../../../lambdas/domain/classifier/normalise.js';
import { notInquiryReason } from '../../../lambdas/domain/classifier/not-inquiry.js';
import { stem } from '../../../lambdas/domain/classifier/stem.js';

describe('normaliseText', () => {
  it('lowers case and folds ё into е', () => {
    expect(normaliseText('ЁЛКИ во Дворе')).toBe('елки во дворе');
  });
  it('drops VK mentions, links, emoji and HTML remnants', () => {
    expect(
      normaliseText('[club123|Администрация], смотрите https://vk.com/wall-1_2 😡👍🏻 <br/>яма&nbsp;тут'),
    ).toBe(', смотрите яма тут');
  });
  it('folds repeated punctuation and spaces', () => {
    expect(normaliseText('Когда   уберут снег???!!!')).toBe('когда уберут снег?!');
  });
  it('ends no sentence at the dot of an abbreviation, and keeps the words apart', () => {
    expect(normaliseText('Дед живёт на ул. Суворова, д.5, третий день не выходит')).toBe(
      'дед живет на ул суворова, д 5, третий день не выходит',
    );
    expect(normaliseText('когда в п.Невидимка будет газ, и т.д. Спасибо')).toBe(
      'когда в п невидимка будет газ, и т д спасибо',
    );
    // A word that merely ends in the same letters ends its sentence.
    expect(normaliseText('Прорвало трубу. Дом 5')).toBe('прорвало трубу. дом 5');
    expect(tokenise(normaliseText('в п.Невидимка'))).toEqual(tokenise('в п.невидимка'));
  });
});

describe('Latin letters that look like Cyrillic ones', () => {
  it('reads a Cyrillic word with a Latin letter swapped in as the Cyrillic word', () => {
    expect(normaliseText('пaхнет газом в подъезде')).toBe('пахнет газом в подъезде');
    expect(normaliseText('искpит проводка в щитке')).toBe('искрит проводка в щитке');
    expect(normaliseText('нет oтопления при -35')).toBe('нет отопления при -35');
    expect(normaliseText('Cпаcибо зa опeрaтивноcть')).toBe('спасибо за оперативность');
    expect(normaliseText('y наc в подвaле гaзом вoняет, пpoблeмa c oтвeтoм')).toBe(
      'у нас в подвале газом воняет, проблема с ответом',
    );
  });
  it('reads capitals that have a Cyrillic twin, and whole words of them in a Russian text', () => {
    expect(normaliseText('B ПOДЪEЗДE HET CBETA, КBAPTИPA 5a')).toBe('в подъезде нет света, квартира 5а');
    expect(normaliseText('ТEMПEPATУPA В КOMHATE +12, УК HE OTBEЧAET')).toBe(
      'температура в комнате +12, ук не отвечает',
    );
  });
  it('leaves Latin words, handles and file names alone', () => {
    expect(normaliseText('Wi-Fi в ТЦ Mega не работает, наCOVID')).toBe(
      'wi-fi в тц mega не работает, наcovid',
    );
    expect(normaliseText('ТЦ MEGA MAX')).toBe('тц mega max');
    expect(normaliseText('Hello, I live in Пермь, the water is cold')).toBe(
      'hello, i live in пермь, the water is cold',
    );
    expect(normaliseText('пишу в @chp_59 и прикладываю видео vid_2023.mp4, p.s. жду')).toBe(
      'пишу в @chp_59 и прикладываю видео vid_2023.mp4, p.s. жду',
    );
  });
  it('lets the rules read a danger or a thank-you with letters swapped', () => {
    expect(dangerSigns(normaliseText('пaхнет газом в подъезде'))).not.toEqual([]);
    expect(dangerSigns(normaliseText('искpит проводка в щитке'))).not.toEqual([]);
    expect(dangerSigns(normaliseText('нет oтопления при -35'))).not.toEqual([]);
    expect(notInquiryReason(normaliseText('Cпаcибо зa опeрaтивноcть'))).toBeDefined();
  });
});

describe('stretched letters', () => {
  it('folds a letter held three times or more into one', () => {
    expect(normaliseText('пахнееет газом')).toBe('пахнет газом');
    expect(normaliseText('ПАХНЕЕЕТ ГАЗОМ В ПОДЪЕЗДЕ')).toBe('пахнет газом в подъезде');
    expect(normaliseText('искриииит проводка')).toBe('искрит проводка');
    expect(normaliseText('Спасиииибо огромное!!!')).toBe('спасибо огромное!');
    expect(normaliseText('нееет отопления, ооочень холодно')).toBe('нет отопления, очень холодно');
  });
  it('keeps double letters, a word of one letter repeated and the USSR', () => {
    expect(normaliseText('длинная очередь в кассу')).toBe('длинная очередь в кассу');
    expect(normaliseText('ООО «Уют» ааа, ветеран труда СССР')).toBe('ооо «уют» ааа, ветеран труда ссср');
  });
  it('lets the rules read a stretched danger or thank-you', () => {
    expect(dangerSigns(normaliseText('пахнееет газом в подъезде'))).not.toEqual([]);
    expect(dangerSigns(normaliseText('ПАХНЕЕЕТ ГАЗОМ В ПОДЪЕЗДЕ'))).not.toEqual([]);
    expect(dangerSigns(normaliseText('искриииит проводка в щитке'))).not.toEqual([]);
    expect(notInquiryReason(normaliseText('Спасиииибо огромное!!!'))).toBeDefined();
  });
});

describe('Russian written in Latin letters', () => {
  it('turns it into Cyrillic', () => {
    expect(normaliseText('uk ne otvechaet uzhe mesyac, batarei chut teplye')).toBe(
      'ук не отвечает уже месяц, батареи чут теплые',
    );
    expect(normaliseText('marshrutka 7 ne hodit')).toBe('маршрутка 7 не ходит');
    expect(normaliseText('Batarei holodnye, na ulitse -30, deti merznut')).toBe(
      'батареи холодные, на улице -30, дети мерзнут',
    );
    expect(normaliseText('Zdravstvuyte! Eto uzhe tretiy raz, pozhaluysta pomogite, etazh 5')).toBe(
      'здравствуйте! это уже третий раз, пожалуйста помогите, этаж 5',
    );
  });
  it('keeps links, mentions and e-mail addresses out of it', () => {
    expect(
      normaliseText('[club1|Admin] pishite na ivanov@mail.ru, foto tut https://vk.com/wall-1_2 pozhaluysta'),
    ).toBe('пишите на ivanov@mail.ru, фото тут пожалуйста');
  });
  it('leaves English as it is', () => {
    expect(normaliseText('Hello, the water is off at Lenina 5 since Monday')).toBe(
      'hello, the water is off at lenina 5 since monday',
    );
    expect(normaliseText('love u')).toBe('love u');
    expect(normaliseText('Thanks, the net is back')).toBe('thanks, the net is back');
  });
  it('lets the rules read a danger in it', () => {
    expect(dangerSigns(normaliseText('pahnet gazom v podezde'))).not.toEqual([]);
    expect(dangerSigns(normaliseText('net otopleniya pri -35'))).not.toEqual([]);
    expect(notInquiryReason(normaliseText('spasibo bolshoe!'))).toBeDefined();
  });
});

describe('tokenise', () => {
  it('keeps words and hyphenated words, and folds numbers into one token', () => {
    expect(tokenise('дом 25 на северо-западе, кв.7')).toEqual([
      'дом',
      '<num>',
      'на',
      'северо-западе',
      'кв',
      '<num>',
    ]);
  });
});

describe('stem', () => {
  it('folds inflections of one word into one stem', () => {
    expect(stem('отопления')).toBe(stem('отоплением'));
    expect(stem('поликлиники')).toBe(stem('поликлинику'));
  });
});
