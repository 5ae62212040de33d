// OpenCV's HOG people detector, DNN module and drawing behind the C interface of CVision.h.
// Every entry point catches OpenCV's exceptions and reports them as text.
#include "CVision.h"

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace {
void describe(char *error, int length, const std::string &what) {
    if (error && length > 0) std::snprintf(error, static_cast<size_t>(length), "%s", what.c_str());
}

// The caller's RGB bytes as an image header (no copy).
cv::Mat view(const uint8_t *rgb, int width, int height) {
    return cv::Mat(height, width, CV_8UC3, const_cast<uint8_t *>(rgb), static_cast<size_t>(width) * 3);
}

cv::Scalar colour(uint32_t rgb) {
    return cv::Scalar((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255);  // the image is RGB, so channels stay in that order
}
}  // namespace

struct glidn_hog {
    cv::HOGDescriptor descriptor;
};

glidn_hog *glidn_hog_create(void) {
    try {
        auto *hog = new glidn_hog();
        hog->descriptor.setSVMDetector(cv::HOGDescriptor::getDefaultPeopleDetector());
        return hog;
    } catch (...) {
        return nullptr;
    }
}

void glidn_hog_free(glidn_hog *hog) { delete hog; }

int glidn_hog_detect(glidn_hog *hog, const uint8_t *rgb, int width, int height, double scale, int stride, double threshold,
                     float *boxes, int capacity, char *error, int errorLength) {
    try {
        cv::Mat grey;
        cv::cvtColor(view(rgb, width, height), grey, cv::COLOR_RGB2GRAY);
        std::vector<cv::Rect> found;
        std::vector<double> weights;
        hog->descriptor.detectMultiScale(grey, found, weights, threshold, cv::Size(stride, stride), cv::Size(8, 8), scale, 2.0);
        int count = 0;
        for (size_t i = 0; i < found.size() && count < capacity; ++i, ++count) {
            const cv::Rect &r = found[i];
            float *b = boxes + count * 5;
            b[0] = static_cast<float>(r.x);
            b[1] = static_cast<float>(r.y);
            b[2] = static_cast<float>(r.width);
            b[3] = static_cast<float>(r.height);
            b[4] = i < weights.size() ? static_cast<float>(weights[i]) : 1.0f;
        }
        return count;
    } catch (const std::exception &e) {
        describe(error, errorLength, std::string("HOG detection failed: ") + e.what());
        return -1;
    }
}

struct glidn_dnn {
    cv::dnn::Net net;
    std::vector<cv::Mat> outputs;
    std::vector<std::string> names;
};

glidn_dnn *glidn_dnn_open(const char *path, char *error, int errorLength) {
    try {
        // OpenCV's own messages would go to standard error unasked; failures come back as text.
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
        auto *dnn = new glidn_dnn();
        dnn->net = cv::dnn::readNetFromONNX(path);
        if (dnn->net.empty()) {
            delete dnn;
            describe(error, errorLength, "OpenCV read no network from it");
            return nullptr;
        }
        dnn->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        dnn->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        dnn->names = dnn->net.getUnconnectedOutLayersNames();
        return dnn;
    } catch (const std::exception &e) {
        describe(error, errorLength, std::string("OpenCV cannot read it as an ONNX model: ") + e.what());
        return nullptr;
    }
}

void glidn_dnn_free(glidn_dnn *net) { delete net; }

int glidn_dnn_run(glidn_dnn *dnn, const uint8_t *rgb, int width, int height, int inputWidth, int inputHeight, int letterbox,
                  char *error, int errorLength) {
    try {
        cv::Mat image = view(rgb, width, height);
        cv::Mat input;
        if (letterbox) {
            double scale = std::min(static_cast<double>(inputWidth) / width, static_cast<double>(inputHeight) / height);
            int w = std::max(1, static_cast<int>(width * scale + 0.5)), h = std::max(1, static_cast<int>(height * scale + 0.5));
            cv::Mat resized;
            cv::resize(image, resized, cv::Size(w, h), 0, 0, cv::INTER_LINEAR);
            input = cv::Mat(inputHeight, inputWidth, CV_8UC3, cv::Scalar(114, 114, 114));
            resized.copyTo(input(cv::Rect((inputWidth - w) / 2, (inputHeight - h) / 2, w, h)));
        } else {
            cv::resize(image, input, cv::Size(inputWidth, inputHeight), 0, 0, cv::INTER_LINEAR);
        }
        // Already RGB: no channel swap.
        cv::Mat blob = cv::dnn::blobFromImage(input, 1.0 / 255.0, cv::Size(), cv::Scalar(), false, false, CV_32F);
        dnn->net.setInput(blob);
        dnn->outputs.clear();
        dnn->net.forward(dnn->outputs, dnn->names);
        for (auto &m : dnn->outputs) {
            if (m.type() != CV_32F) m.convertTo(m, CV_32F);
            if (!m.isContinuous()) m = m.clone();
        }
        return static_cast<int>(dnn->outputs.size());
    } catch (const std::exception &e) {
        describe(error, errorLength, std::string("the model failed to run: ") + e.what());
        return -1;
    }
}

int glidn_dnn_output_shape(const glidn_dnn *dnn, int index, int *shape, int maximumRank) {
    if (index < 0 || index >= static_cast<int>(dnn->outputs.size())) return 0;
    const cv::Mat &m = dnn->outputs[static_cast<size_t>(index)];
    for (int d = 0; d < m.dims && d < maximumRank; ++d) shape[d] = m.size[d];
    return m.dims;
}

const float *glidn_dnn_output_values(const glidn_dnn *dnn, int index) {
    if (index < 0 || index >= static_cast<int>(dnn->outputs.size())) return nullptr;
    return dnn->outputs[static_cast<size_t>(index)].ptr<float>();
}

const char *glidn_dnn_output_name(const glidn_dnn *dnn, int index) {
    if (index < 0 || index >= static_cast<int>(dnn->names.size())) return "";
    return dnn->names[static_cast<size_t>(index)].c_str();
}

void glidn_draw_rectangle(uint8_t *rgb, int width, int height, int x1, int y1, int x2, int y2, uint32_t c, int thickness) {
    cv::Mat image = view(rgb, width, height);
    cv::rectangle(image, cv::Point(x1, y1), cv::Point(x2, y2), colour(c), thickness, cv::LINE_AA);
}

void glidn_draw_line(uint8_t *rgb, int width, int height, int x1, int y1, int x2, int y2, uint32_t c, int thickness) {
    cv::Mat image = view(rgb, width, height);
    cv::line(image, cv::Point(x1, y1), cv::Point(x2, y2), colour(c), thickness, cv::LINE_AA);
}

void glidn_draw_fill(uint8_t *rgb, int width, int height, int x1, int y1, int x2, int y2, uint32_t c) {
    cv::Mat image = view(rgb, width, height);
    cv::rectangle(image, cv::Point(x1, y1), cv::Point(x2, y2), colour(c), cv::FILLED);
}

void glidn_draw_label(uint8_t *rgb, int width, int height, const char *text, int x, int y, double scale, uint32_t c,
                      uint32_t background) {
    cv::Mat image = view(rgb, width, height);
    int baseline = 0;
    cv::Size size = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, 1, &baseline);
    cv::rectangle(image, cv::Point(x, y), cv::Point(x + size.width + 4, y + size.height + baseline + 4), colour(background),
                  cv::FILLED);
    cv::putText(image, text, cv::Point(x + 2, y + size.height + 2), cv::FONT_HERSHEY_SIMPLEX, scale, colour(c), 1, cv::LINE_AA);
}

void glidn_resize(const uint8_t *rgb, int width, int height, uint8_t *out, int outWidth, int outHeight) {
    cv::Mat target(outHeight, outWidth, CV_8UC3, out, static_cast<size_t>(outWidth) * 3);
    cv::resize(view(rgb, width, height), target, target.size(), 0, 0, cv::INTER_AREA);
}

int glidn_encode_jpeg(const uint8_t *rgb, int width, int height, int quality, uint8_t **bytes, char *error, int errorLength) {
    try {
        cv::Mat bgr;
        cv::cvtColor(view(rgb, width, height), bgr, cv::COLOR_RGB2BGR);
        std::vector<uint8_t> buffer;
        if (!cv::imencode(".jpg", bgr, buffer, {cv::IMWRITE_JPEG_QUALITY, quality})) {
            describe(error, errorLength, "OpenCV cannot encode JPEG");
            return -1;
        }
        *bytes = static_cast<uint8_t *>(std::malloc(buffer.size()));
        if (!*bytes) return -1;
        std::memcpy(*bytes, buffer.data(), buffer.size());
        return static_cast<int>(buffer.size());
    } catch (const std::exception &e) {
        describe(error, errorLength, std::string("JPEG encoding failed: ") + e.what());
        return -1;
    }
}

void glidn_free(void *pointer) { std::free(pointer); }

void glidn_vision_versions(char *text, int length) {
    std::snprintf(text, static_cast<size_t>(length), "OpenCV %s (%d threads)", CV_VERSION, cv::getNumThreads());
}
