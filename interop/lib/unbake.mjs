// Unbaking written from the OB 3.0 spec (§5.3), independent of ob3's Python: the PNG `iTXt` chunk
// with keyword `openbadgecredential`, and the SVG `<openbadges:credential>` element in the namespace
// https://purl.imsglobal.org/ob/v3p0 (JSON as its text, a compact JWS in its `verify` attribute).
import extractChunks from 'png-chunks-extract';
import {DOMParser} from '@xmldom/xmldom';

const KEYWORD = 'openbadgecredential';
const OB_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** What a baked image carries: {credential} for JSON, {jwt} for a compact JWS. */
export function bakedContent(text) {
  const trimmed = text.trim();
  if(trimmed.startsWith('{')) {
    return {credential: JSON.parse(trimmed)};
  }
  if(COMPACT_JWS.test(trimmed)) {
    return {jwt: trimmed};
  }
  throw new Error(`the baked text is neither JSON nor a compact JWS: ${trimmed.slice(0, 40)}…`);
}

// iTXt (PNG spec §11.3.4.5): keyword NUL, compression flag, compression method, language tag NUL,
// translated keyword NUL, text (UTF-8).
function parseItxt(data) {
  const bytes = Buffer.from(data);
  const keywordEnd = bytes.indexOf(0);
  if(keywordEnd < 0) {
    throw new Error('truncated iTXt chunk');
  }
  const keyword = bytes.subarray(0, keywordEnd).toString('latin1');
  const compressed = bytes[keywordEnd + 1] !== 0;
  const languageEnd = bytes.indexOf(0, keywordEnd + 3);
  const translatedEnd = languageEnd < 0 ? -1 : bytes.indexOf(0, languageEnd + 1);
  if(translatedEnd < 0) {
    throw new Error(`truncated iTXt chunk ${keyword}`);
  }
  const text = new TextDecoder('utf-8', {fatal: true}).decode(bytes.subarray(translatedEnd + 1));
  return {keyword, compressed, text};
}

/** The credential in a baked PNG (bytes). */
export function unbakePng(bytes) {
  // extractChunks checks the signature and every chunk's CRC.
  const chunks = extractChunks(new Uint8Array(bytes)).filter(chunk => chunk.name === 'iTXt').map(
    chunk => parseItxt(chunk.data));
  const baked = chunks.find(chunk => chunk.keyword === KEYWORD);
  if(!baked) {
    throw new Error(`PNG has no iTXt chunk with keyword ${KEYWORD}`);
  }
  if(baked.compressed) {
    throw new Error(`PNG iTXt chunk ${KEYWORD} is compressed, which OB 3.0 forbids`);
  }
  return bakedContent(baked.text);
}

/** The credential in a baked SVG (text). */
export function unbakeSvg(text) {
  const errors = [];
  const parser = new DOMParser({
    onError: (level, message) => {
      if(level !== 'warning') {
        errors.push(message);
      }
    }
  });
  const document = parser.parseFromString(text, 'image/svg+xml');
  if(errors.length) {
    throw new Error(`SVG does not parse: ${errors.join('; ')}`);
  }
  const element = document.getElementsByTagNameNS(OB_NAMESPACE, 'credential')[0];
  if(!element) {
    throw new Error(`SVG has no <credential> element in namespace ${OB_NAMESPACE}`);
  }
  const verify = element.getAttribute('verify');
  if(verify) {
    return bakedContent(verify);
  }
  return bakedContent(element.textContent);
}
