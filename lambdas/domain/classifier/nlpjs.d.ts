// @nlpjs/lang-ru ships no type declarations; we use only its Snowball stemmer.
declare module '@nlpjs/lang-ru/src/stemmer-ru.js' {
  export default class StemmerRu {
    stemWord(word: string): string;
  }
}
