// @nlpjs/lang-ru ships no type declarations; we use only its Snowball stemmer (stem.ts says why not `stemWord`).
declare module '@nlpjs/lang-ru/src/stemmer-ru.js' {
  export default class StemmerRu {
    stemWord(word: string): string;
    setCurrent(word: string): void;
    innerStem(): boolean;
    getCurrent(): string;
  }
}
