/**
 * An e-mail address as it is subscribed: in lower case, so that `Head@x.ru` and `head@x.ru` are one mailbox
 * and one subscription (mail systems do not tell them apart; SNS keeps one subscription per endpoint). The
 * address is the subscription's construct id, so an address already in lower case keeps its logical id.
 */
export const mailbox = (address: string) => address.toLowerCase();
