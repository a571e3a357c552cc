/** Approval states of a commune's figures for a period (PRODUCT.md §12), and how a sentence names them. */

export type ApprovalState = "open" | "submitted" | "accepted" | "returned";

/** The state in words, as a sentence or a table cell says it (lower case; a cell capitalises). */
export const STATE_WORDS: Record<ApprovalState, string> = {
  open: "chưa chốt",
  submitted: "xã đã chốt, chờ tỉnh duyệt",
  accepted: "tỉnh đã duyệt",
  returned: "tỉnh đã trả lại",
};
