export { clustersRoutes } from './clusters.routes.ts';
export { runSuggestion, listClusters, getCluster, titleFrom, type SuggestResult } from './clusters.service.ts';
export { suggestClusters, pairSimilarity, DEFAULT_CLUSTER_OPTIONS, type ClusterInput, type SuggestedCluster, type ClusterOptions } from './cluster-algorithm.ts';
