/** The core blocks of the Workflows grammar, as one list: what createWorkflowEngine (runtime.ts) registers. */
import type { Block } from "@cvflow/engine";
import { lineCounterV1Block, lineCounterV2Block } from "./analytics/line_counter.js";
import { timeInZoneV1Block, timeInZoneV2Block, timeInZoneV3Block } from "./analytics/time_in_zone.js";
import { velocityBlock } from "./analytics/velocity.js";
import { pathDeviationV1Block, pathDeviationV2Block } from "./analytics/path_deviation.js";
import { detectionEventLogBlock } from "./analytics/detection_event_log.js";
import { overlapBlock } from "./analytics/overlap.js";
import { dataAggregatorBlock } from "./analytics/data_aggregator.js";
import { contoursDetectionBlock } from "./classical_cv/contours_detection.js";
import { detectionsNearestNeighborBlock } from "./classical_cv/detections_nearest_neighbor.js";
import { distanceMeasurementBlock } from "./classical_cv/distance_measurement.js";
import { maskAreaMeasurementBlock } from "./classical_cv/mask_area_measurement.js";
import { sizeMeasurementBlock } from "./classical_cv/size_measurement.js";
import { convertGrayscaleBlock } from "./classical_cv/convert_grayscale.js";
import { imageBlurBlock } from "./classical_cv/image_blur.js";
import { imagePreprocessingBlock } from "./classical_cv/image_preprocessing.js";
import { thresholdBlock } from "./classical_cv/threshold.js";
import { morphologicalTransformationV1Block, morphologicalTransformationV2Block } from "./classical_cv/morphological_transformation.js";
import { cameraFocusBlock, cameraFocusV2Block } from "./classical_cv/camera_focus.js";
import { maskEdgeSnapBlock } from "./classical_cv/mask_edge_snap.js";
import { dominantColorBlock } from "./classical_cv/dominant_color.js";
import { pixelColorCountBlock } from "./classical_cv/pixel_color_count.js";
import { templateMatchingBlock } from "./classical_cv/template_matching.js";
import { contrastEqualizationBlock } from "./classical_cv/contrast_equalization.js";
import { siftBlock } from "./classical_cv/sift.js";
import { siftComparisonV1Block, siftComparisonV2Block } from "./classical_cv/sift_comparison.js";
import { autoRotateOnEdgesBlock } from "./classical_cv/auto_rotate_on_edges.js";
import { contrastEnhancementBlock } from "./classical_cv/contrast_enhancement.js";
import { continueIfBlock } from "./flow_control/continue_if.js";
import { innerWorkflowBlock } from "./flow_control/inner_workflow.js";
import { switchCaseBlock } from "./flow_control/switch_case.js";
import { waitForInputBlock } from "./flow_control/wait_for_input.js";
import { csvFormatterBlock } from "./formatters/csv_formatter.js";
import { expressionBlock } from "./formatters/expression.js";
import { firstNonEmptyOrDefaultBlock } from "./formatters/first_non_empty_or_default.js";
import { jsonParserBlock } from "./formatters/json_parser.js";
import { propertyDefinitionBlock } from "./formatters/property_definition.js";
import { stringTemplateBlock } from "./formatters/string_template.js";
import { currentTimeBlock } from "./formatters/current_time.js";
import { vlmAsClassifierV1Block, vlmAsClassifierV2Block } from "./formatters/vlm_as_classifier.js";
import { vlmAsDetectorV1Block, vlmAsDetectorV2Block } from "./formatters/vlm_as_detector.js";
import { cosineSimilarityBlock } from "./math/cosine_similarity.js";
import { environmentSecretsStoreBlock } from "./secrets_providers/environment_secrets_store.js";
import { detectionsClassesReplacementBlock } from "./fusion/detections_classes_replacement.js";
import { detectionsConsensusBlock } from "./fusion/detections_consensus.js";
import { detectionsDifferenceBlock } from "./fusion/detections_difference.js";
import { detectionsListRollUpBlock } from "./fusion/detections_list_rollup.js";
import { detectionsStitchBlock } from "./fusion/detections_stitch.js";
import { imageStackBlock } from "./fusion/image_stack.js";
import { overlapAnalysisBlock } from "./fusion/overlap_analysis.js";
import { cacheGetBlock } from "./cache/cache_get.js";
import { cacheSetBlock } from "./cache/cache_set.js";
import { classificationModelV1Block, classificationModelV2Block, classificationModelV3Block } from "./models/classification.js";
import { instanceSegmentationModelV1Block, instanceSegmentationModelV2Block, instanceSegmentationModelV3Block, instanceSegmentationModelV4Block } from "./models/instance_segmentation.js";
import { keypointDetectionModelV1Block, keypointDetectionModelV2Block, keypointDetectionModelV3Block } from "./models/keypoint_detection.js";
import { multiLabelClassificationModelV1Block, multiLabelClassificationModelV2Block, multiLabelClassificationModelV3Block } from "./models/multi_label_classification.js";
import { objectDetectionModelV1Block, objectDetectionModelV2Block, objectDetectionModelV3Block } from "./models/object_detection.js";
import { ocrModelV1Block, ppOcrV1Block } from "./models/ocr.js";
import { metaVlmBlock } from "./models/foundation/meta_vlm.js";
import { openRouterBlocks } from "./models/foundation/openrouter.js";
import { qwenVlmV1Block, qwenVlmV2Block } from "./models/foundation/qwen_vlm.js";
import { spacexAiBlock } from "./models/foundation/spacexai.js";
import { barcodeDetectorBlock } from "./models/third_party/barcode_detector.js";
import { qrCodeDetectorBlock } from "./models/third_party/qr_code_detector.js";
import { unavailableModelBlocks } from "./models/unavailable-models.js";
import { lmmBlock, lmmForClassificationBlock } from "./models/foundation/lmm.js";
import { anthropicClaudeBlocks } from "./models/foundation/anthropic_claude.js";
import { googleGeminiBlocks } from "./models/foundation/google_gemini.js";
import { openAiBlocks } from "./models/foundation/open_ai.js";
import { openAiCompatibleBlock } from "./models/foundation/openai_compatible.js";
import { googleVisionOcrBlock } from "./models/foundation/google_vision.js";
import { stabilityAiBlocks } from "./models/foundation/stability_ai.js";
import { platformSinkBlocks } from "./sinks/platform_sinks.js";
import { emailNotificationV1Block, emailNotificationV2Block } from "./sinks/email_notification.js";
import { localFileSinkBlock } from "./sinks/local_file_sink.js";
import { s3SinkBlock } from "./sinks/s3_sink.js";
import { slackNotificationBlock } from "./sinks/slack_notification.js";
import { twilioSmsNotificationV1Block, twilioSmsNotificationV2Block } from "./sinks/twilio_sms_notification.js";
import { webhookSinkBlock } from "./sinks/webhook_sink.js";
import { dimensionCollapseBlock } from "./fusion/dimension_collapse.js";
import { absoluteStaticCropBlock } from "./transformations/absolute_static_crop.js";
import { detectionOffsetBlock } from "./transformations/detection_offset.js";
import { detectionsFilterBlock } from "./transformations/detections_filter.js";
import { detectionsTransformationBlock } from "./transformations/detections_transformation.js";
import { dynamicCropBlock } from "./transformations/dynamic_crop.js";
import { imageSlicerBlock, imageSlicerV2Block } from "./transformations/image_slicer.js";
import { perClassConfidenceFilterBlock } from "./transformations/per_class_confidence_filter.js";
import { qrCodeGeneratorBlock } from "./transformations/qr_code_generator.js";
import { relativeStaticCropBlock } from "./transformations/relative_static_crop.js";
import { stitchOcrDetectionsV1Block, stitchOcrDetectionsV2Block } from "./transformations/stitch_ocr_detections.js";
import { detectionsCombineBlock } from "./transformations/detections_combine.js";
import { detectionsMergeBlock } from "./transformations/detections_merge.js";
import { geotagDetectionBlock } from "./transformations/geotag_detection.js";
import { boundingRectBlock } from "./transformations/bounding_rect.js";
import { cameraCalibrationBlock } from "./transformations/camera_calibration.js";
import { dynamicZonesBlock } from "./transformations/dynamic_zones.js";
import { stitchImagesBlock } from "./transformations/stitch_images.js";
import { perspectiveCorrectionBlock } from "./transformations/perspective_correction.js";
import { blurVisualizationBlock } from "./visualizations/blur.js";
import { boundingBoxVisualizationBlock } from "./visualizations/bounding_box.js";
import { circleVisualizationBlock } from "./visualizations/circle.js";
import { classificationLabelVisualizationBlock } from "./visualizations/classification_label.js";
import { colorVisualizationBlock } from "./visualizations/color.js";
import { cornerVisualizationBlock } from "./visualizations/corner.js";
import { dotVisualizationBlock } from "./visualizations/dot.js";
import { keypointVisualizationBlock } from "./visualizations/keypoint.js";
import { labelVisualizationBlock } from "./visualizations/label.js";
import { labelVisualizationV2Block } from "./visualizations/label_v2.js";
import { maskVisualizationBlock } from "./visualizations/mask.js";
import { pixelateVisualizationBlock } from "./visualizations/pixelate.js";
import { polygonVisualizationBlock, polygonVisualizationV2Block } from "./visualizations/polygon.js";
import { lineZoneVisualizationBlock } from "./visualizations/line_zone.js";
import { polygonZoneVisualizationBlock } from "./visualizations/polygon_zone.js";
import { heatmapVisualizationBlock } from "./visualizations/heatmap.js";
import { referencePathVisualizationBlock } from "./visualizations/reference_path.js";
import { traceVisualizationBlock } from "./visualizations/trace.js";
import { backgroundColorVisualizationBlock } from "./visualizations/background_color.js";
import { cropVisualizationBlock } from "./visualizations/crop.js";
import { ellipseVisualizationBlock } from "./visualizations/ellipse.js";
import { gridVisualizationBlock } from "./visualizations/grid.js";
import { haloVisualizationBlock, haloVisualizationV2Block } from "./visualizations/halo.js";
import { iconVisualizationBlock } from "./visualizations/icon.js";
import { modelComparisonVisualizationBlock } from "./visualizations/model_comparison.js";
import { richLabelVisualizationBlock } from "./visualizations/rich_label.js";
import { textDisplayBlock } from "./visualizations/text_display.js";
import { triangleVisualizationBlock } from "./visualizations/triangle.js";
import { byteTrackerV1Block, byteTrackerV2Block, byteTrackerV3Block } from "./trackers/byte_tracker.js";
import { botSortTrackerBlock } from "./trackers/trackers_botsort.js";
import { byteTrackTrackerBlock } from "./trackers/trackers_bytetrack.js";
import { ocSortTrackerBlock } from "./trackers/trackers_ocsort.js";
import { sortTrackerBlock } from "./trackers/trackers_sort.js";
import { stabilizeDetectionsBlock } from "./trackers/stabilize_detections.js";
import { trackClassLockBlock } from "./trackers/track_class_lock.js";
import { bufferBlock } from "./video/buffer.js";
import { deltaFilterBlock } from "./video/delta_filter.js";
import { frameDelayBlock } from "./video/frame_delay.js";
import { identifyChangesBlock } from "./video/identify_changes.js";
import { identifyOutliersBlock } from "./video/identify_outliers.js";
import { rateLimiterBlock } from "./video/rate_limiter.js";
import { backgroundSubtractionBlock } from "./video/background_subtraction.js";
import { motionDetectionBlock } from "./video/motion_detection.js";

export const coreBlocks: readonly Block[] = [
  continueIfBlock,
  innerWorkflowBlock,
  switchCaseBlock,
  waitForInputBlock,
  csvFormatterBlock,
  expressionBlock,
  firstNonEmptyOrDefaultBlock,
  jsonParserBlock,
  propertyDefinitionBlock,
  stringTemplateBlock,
  currentTimeBlock,
  vlmAsClassifierV1Block,
  vlmAsClassifierV2Block,
  vlmAsDetectorV1Block,
  vlmAsDetectorV2Block,
  cosineSimilarityBlock,
  environmentSecretsStoreBlock,
  detectionsClassesReplacementBlock,
  detectionsConsensusBlock,
  detectionsDifferenceBlock,
  dimensionCollapseBlock,
  detectionOffsetBlock,
  detectionsFilterBlock,
  detectionsTransformationBlock,
  perClassConfidenceFilterBlock,
  qrCodeGeneratorBlock,
  dynamicCropBlock,
  absoluteStaticCropBlock,
  relativeStaticCropBlock,
  stitchOcrDetectionsV1Block,
  stitchOcrDetectionsV2Block,
  detectionsCombineBlock,
  detectionsMergeBlock,
  geotagDetectionBlock,
  boundingRectBlock,
  cameraCalibrationBlock,
  dynamicZonesBlock,
  stitchImagesBlock,
  perspectiveCorrectionBlock,
  imageSlicerBlock,
  imageSlicerV2Block,
  detectionsStitchBlock,
  detectionsListRollUpBlock,
  imageStackBlock,
  overlapAnalysisBlock,
  cacheSetBlock,
  cacheGetBlock,
  imagePreprocessingBlock,
  convertGrayscaleBlock,
  imageBlurBlock,
  thresholdBlock,
  morphologicalTransformationV1Block,
  morphologicalTransformationV2Block,
  cameraFocusBlock,
  cameraFocusV2Block,
  maskEdgeSnapBlock,
  dominantColorBlock,
  pixelColorCountBlock,
  templateMatchingBlock,
  contrastEqualizationBlock,
  siftBlock,
  siftComparisonV1Block,
  siftComparisonV2Block,
  autoRotateOnEdgesBlock,
  contrastEnhancementBlock,
  contoursDetectionBlock,
  distanceMeasurementBlock,
  detectionsNearestNeighborBlock,
  maskAreaMeasurementBlock,
  sizeMeasurementBlock,
  objectDetectionModelV1Block,
  objectDetectionModelV2Block,
  objectDetectionModelV3Block,
  instanceSegmentationModelV1Block,
  instanceSegmentationModelV2Block,
  instanceSegmentationModelV3Block,
  instanceSegmentationModelV4Block,
  classificationModelV1Block,
  classificationModelV2Block,
  classificationModelV3Block,
  multiLabelClassificationModelV1Block,
  multiLabelClassificationModelV2Block,
  multiLabelClassificationModelV3Block,
  keypointDetectionModelV1Block,
  keypointDetectionModelV2Block,
  keypointDetectionModelV3Block,
  ocrModelV1Block,
  ppOcrV1Block,
  barcodeDetectorBlock,
  qrCodeDetectorBlock,
  ...openRouterBlocks,
  metaVlmBlock,
  qwenVlmV1Block,
  qwenVlmV2Block,
  spacexAiBlock,
  ...unavailableModelBlocks,
  ...openAiBlocks,
  ...anthropicClaudeBlocks,
  ...googleGeminiBlocks,
  openAiCompatibleBlock,
  lmmBlock,
  lmmForClassificationBlock,
  googleVisionOcrBlock,
  ...stabilityAiBlocks,
  ...platformSinkBlocks,
  emailNotificationV1Block,
  emailNotificationV2Block,
  localFileSinkBlock,
  s3SinkBlock,
  webhookSinkBlock,
  slackNotificationBlock,
  twilioSmsNotificationV1Block,
  twilioSmsNotificationV2Block,
  blurVisualizationBlock,
  boundingBoxVisualizationBlock,
  circleVisualizationBlock,
  classificationLabelVisualizationBlock,
  colorVisualizationBlock,
  cornerVisualizationBlock,
  dotVisualizationBlock,
  keypointVisualizationBlock,
  labelVisualizationBlock,
  labelVisualizationV2Block,
  maskVisualizationBlock,
  pixelateVisualizationBlock,
  polygonVisualizationBlock,
  polygonVisualizationV2Block,
  polygonZoneVisualizationBlock,
  lineZoneVisualizationBlock,
  referencePathVisualizationBlock,
  traceVisualizationBlock,
  heatmapVisualizationBlock,
  backgroundColorVisualizationBlock,
  cropVisualizationBlock,
  ellipseVisualizationBlock,
  gridVisualizationBlock,
  haloVisualizationBlock,
  haloVisualizationV2Block,
  iconVisualizationBlock,
  modelComparisonVisualizationBlock,
  richLabelVisualizationBlock,
  textDisplayBlock,
  triangleVisualizationBlock,
  bufferBlock,
  rateLimiterBlock,
  frameDelayBlock,
  deltaFilterBlock,
  identifyChangesBlock,
  identifyOutliersBlock,
  motionDetectionBlock,
  backgroundSubtractionBlock,
  lineCounterV1Block,
  lineCounterV2Block,
  timeInZoneV1Block,
  timeInZoneV2Block,
  timeInZoneV3Block,
  velocityBlock,
  pathDeviationV1Block,
  pathDeviationV2Block,
  detectionEventLogBlock,
  overlapBlock,
  dataAggregatorBlock,
  stabilizeDetectionsBlock,
  trackClassLockBlock,
  byteTrackerV1Block,
  byteTrackerV2Block,
  byteTrackerV3Block,
  sortTrackerBlock,
  ocSortTrackerBlock,
  botSortTrackerBlock,
  byteTrackTrackerBlock,
] as Block[];
