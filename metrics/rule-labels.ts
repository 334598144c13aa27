// Chinese names of rules and dimensions, for everything users read (CLI, reports, dashboard).
import type { RuleId } from '../config/profile.ts';

export const RULE_LABELS: Record<RuleId, string> = {
  'catalog.change_update': '目录未及时更新（法规修订/职能调整后）',
  'catalog.quarterly_review': '未按季度全面维护目录',
  'catalog.metadata_complete': '目录要素不完整',
  'catalog.restricted_basis': '有条件/不予共享未注明依据',
  'catalog.base_unconditional': '基础数据未无条件共享',
  'catalog.mounted': '目录未挂接数据',
  'supply.request_response': '共享申请逾期答复',
  'supply.request_unanswered': '共享申请逾期未答复',
  'supply.rejection_basis': '拒绝共享未说明理由',
  'supply.update_cycle': '未按更新周期供给数据',
  'quality.verification_response': '数据校核逾期答复',
  'quality.error_corrected': '确认错误未及时更正',
  'quality.conformance': '数据质量不规范',
  'quality.one_source': '一数多源不一致',
  'misuse.unapproved_access': '未经批准访问有条件共享数据',
  'misuse.beyond_scope': '超出批准范围使用数据',
  'misuse.anomalous_volume': '访问量异常（待复核）',
  'misuse.duplicate_collection': '重复采集',
};

export const DIMENSION_LABELS: Record<string, string> = {
  catalog: '目录管理',
  supply: '供给时效',
  quality: '数据质量',
  misuse: '规范使用',
};
