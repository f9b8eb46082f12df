// The attention panel uses the element builders every panel shares.
export { h } from '../shared/dom';
