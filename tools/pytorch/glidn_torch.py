"""GLIDN in PyTorch, written from docs/MODEL.md.

Three uses: it pins down our reading of docs/MODEL.md against the reference fixtures
(`python3 glidn_torch.py verify FILE...`); it is the PyTorch side of the speed comparison
(`python3 glidn_torch.py bench --workload cad120`); and it runs and fine-tunes `glidn`'s models
in PyTorch on the clips `glidn` builds from real data (tools/pytorch/README.md):

    glidn export-inputs --checkpoint runs/cad/best.safetensors --output inputs.npz
    python3 glidn_torch.py run runs/cad/best.safetensors inputs.npz

    import glidn_torch
    model, metadata = glidn_torch.load_checkpoint("runs/cad/best.safetensors")
    x, ids = glidn_torch.load_inputs("inputs.npz")
    out = model(x); loss = model.losses(out, x)["total"]      # train as any nn.Module
    glidn_torch.save_checkpoint(model, "tuned.safetensors", metadata)  # glidn evaluates it

The Swift package never needs it. Requirements: torch, safetensors, numpy
(tools/pytorch/requirements.txt; `make bench-deps` installs them).
"""
import argparse
import json
import math
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def node_geometry(boxes):
    x1, y1, x2, y2 = boxes.unbind(-1)
    w = (x2 - x1).clamp(min=0.01)
    h = (y2 - y1).clamp(min=0.01)
    return torch.stack([x1, y1, x2, y2, (x1 + x2) / 2, (y1 + y2) / 2, w, h], -1)


def edge_geometry(boxes):
    """boxes [..., N, 4] -> e [..., N(receiver i), N(sender j), 5]."""
    x1, y1, x2, y2 = boxes.unbind(-1)
    w = (x2 - x1).clamp(min=0.01)
    h = (y2 - y1).clamp(min=0.01)
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    dcx = cx.unsqueeze(-2) - cx.unsqueeze(-1)
    dcy = cy.unsqueeze(-2) - cy.unsqueeze(-1)
    dw = torch.log(w.unsqueeze(-2) / w.unsqueeze(-1))
    dh = torch.log(h.unsqueeze(-2) / h.unsqueeze(-1))
    ix = (torch.minimum(x2.unsqueeze(-1), x2.unsqueeze(-2)) - torch.maximum(x1.unsqueeze(-1), x1.unsqueeze(-2))).clamp(min=0)
    iy = (torch.minimum(y2.unsqueeze(-1), y2.unsqueeze(-2)) - torch.maximum(y1.unsqueeze(-1), y1.unsqueeze(-2))).clamp(min=0)
    inter = ix * iy
    area = (x2 - x1).clamp(min=0) * (y2 - y1).clamp(min=0)
    union = (area.unsqueeze(-1) + area.unsqueeze(-2) - inter).clamp(min=1e-6)
    return torch.stack([dcx, dcy, dw, dh, inter / union], -1)


class GraphAttention(nn.Module):
    def __init__(self, d, heads, edim, att_dropout=0.0):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.weight = nn.Parameter(torch.randn(d, d) / math.sqrt(d))
        self.att_src = nn.Parameter(torch.randn(heads, self.dh) * 0.1)
        self.att_dst = nn.Parameter(torch.randn(heads, self.dh) * 0.1)
        self.att_edge = nn.Parameter(torch.randn(heads, edim) * 0.1)
        self.bias = nn.Parameter(torch.zeros(d))
        self.att_dropout = att_dropout

    def forward(self, h, adj, edges, m):
        # h [G, N, D], adj [G, N, N], edges [G, N, N, E], m [G, N]
        G, N, D = h.shape
        z = (h @ self.weight.t()).view(G, N, self.h, self.dh)
        a_dst = (z * self.att_dst).sum(-1)  # [G, N, H]
        a_src = (z * self.att_src).sum(-1)
        a_edge = edges @ self.att_edge.t()  # [G, N, N, H]
        s = F.leaky_relu(a_dst.unsqueeze(2) + a_src.unsqueeze(1) + a_edge, 0.2)
        s = s.masked_fill(adj.unsqueeze(-1) == 0, -1e9)
        alpha = torch.softmax(s, dim=2)  # over senders j
        if self.training and self.att_dropout > 0:
            alpha = F.dropout(alpha, self.att_dropout)
        o = torch.einsum("gijk,gjkd->gikd", alpha, z).reshape(G, N, D) + self.bias
        return (h + F.elu(o)) * m.unsqueeze(-1), alpha


class MeanAggregation(nn.Module):
    """`--graph-layer mean` (docs/MODEL.md, section 4): the mean of the senders' states,
    a_ij = A_ij / max(1, sum_j A_ij); o_i = W h_i + U sum_j a_ij h_j + b; h_i' = (h_i + ELU(o_i)) m_i.
    Edge features are not used; the returned weights are a (one head)."""

    def __init__(self, d, heads, edim, att_dropout=0.0):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(d, d) / math.sqrt(d))
        self.neighbour = nn.Parameter(torch.randn(d, d) / math.sqrt(d))
        self.bias = nn.Parameter(torch.zeros(d))

    def forward(self, h, adj, edges, m):
        a = adj / adj.sum(-1, keepdim=True).clamp(min=1)
        o = h @ self.weight.t() + (a @ h) @ self.neighbour.t() + self.bias
        return (h + F.elu(o)) * m.unsqueeze(-1), a.unsqueeze(-1)


GRAPH_LAYERS = {"gat": lambda d, heads, edim, p: GraphAttention(d, heads, edim, p),
                "mean": lambda d, heads, edim, p: MeanAggregation(d, heads, edim, p)}


def masked_mean(x, m, dim):
    """mean of x over dim where m == 1 (m broadcast to x without its last axis); 0 if none."""
    w = m.unsqueeze(-1)
    return (x * w).sum(dim) / w.sum(dim).clamp(min=1)


def masked_max(x, m, dim):
    w = m.unsqueeze(-1)
    v = x.masked_fill(w == 0, float("-inf")).amax(dim)
    any_ = (w.sum(dim) > 0)
    return torch.where(any_, v, torch.zeros_like(v))


class GLIDN(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        D, H = cfg["hidden"], cfg["heads"]
        p = cfg.get("dropout", 0.0)
        self.dropout = p
        self.encoder = nn.ModuleDict({
            "input": nn.Linear(cfg["features"] + 8, D),
            "category": nn.Embedding(cfg["categories"], D),
        })
        variant = cfg.get("variant", "glidn")
        self.use_local = variant != "global"
        self.use_global = variant in ("global", "glidn")
        pa = cfg.get("attention_dropout", p)
        n_local = cfg["local_layers"] if variant in ("local", "glidn") else 0
        layer = GRAPH_LAYERS[cfg.get("graph_layer", "gat")]
        self.local = nn.ModuleList([layer(D, H, 5, pa) for _ in range(n_local)])
        if self.use_global:
            ge = 7 if cfg.get("temporal_context", "clip") == "clip" else 16
            self.global_ = nn.ModuleList([layer(D, H, ge, pa) for _ in range(cfg["global_layers"])])
            self.global_input = nn.Linear(2 * D, D)
        branches = (["local"] if self.use_local else []) + (["global"] if self.use_global else [])
        if cfg["task"] == "video":
            C = cfg["classes"]
            self.head = nn.ModuleDict({b: nn.Linear(2 * D, C) for b in branches})
        else:
            S, A = cfg["subactivities"], cfg["affordances"]
            heads = {}
            for b in branches:
                heads[b + "_subactivity"] = nn.Linear(D, S)
                heads[b + "_affordance"] = nn.Linear(2 * D, A)
            self.head = nn.ModuleDict(heads)
        if variant == "glidn" and cfg.get("distill") == "projected":
            self.distill = nn.ModuleDict({"projection": nn.Linear(D, D)})

    def named_checkpoint(self):
        out = {}
        for k, v in self.named_parameters():
            k = k.replace("global_input.", "global.input.").replace("global_.", "global.")
            if k.startswith("local.") and not self.local:
                continue
            out[k] = v
        return out

    def forward(self, x):
        cfg = self.cfg
        feats, boxes, mask, cats, human = x["features"], x["boxes"], x["mask"], x["categories"].long(), x["is_human"]
        B, T, N, _ = feats.shape
        # Whole videos of segments (docs/MODEL.md, section 14): T = S * k frames, k per segment.
        k = int(x["frames_per_segment"]) if "frames_per_segment" in x else T
        S = T // k
        context = cfg.get("temporal_context", "clip")
        seg_mask = mask.view(B, S, k, N)
        em = seg_mask.amax(2).reshape(B, S * N)  # one node per (segment, entity)
        inp = torch.cat([feats, node_geometry(boxes)], -1)
        h0 = F.relu(self.encoder["input"](inp) + self.encoder["category"](cats).unsqueeze(1)) * mask.unsqueeze(-1)
        h0d = F.dropout(h0, self.dropout, self.training)
        out = {"h0": h0, "entity_mask": em}
        # local graphs
        e = edge_geometry(boxes)  # [B,T,N,N,5]
        mf = mask.reshape(B * T, N)
        adj = mf.unsqueeze(2) * mf.unsqueeze(1)
        if cfg["local_edges"] == "human-object":
            hu = human.unsqueeze(1).expand(B, T, N).reshape(B * T, N)
            ho = (hu.unsqueeze(2) != hu.unsqueeze(1)).float()
            eye = torch.eye(N).unsqueeze(0)
            adj = adj * torch.clamp(ho + eye, max=1)

        def per_segment(v):  # [B,T,N,D] -> [B,S,N,k,D] and its mask [B,S,N,k]
            return v.view(B, S, k, N, -1).transpose(2, 3), seg_mask.transpose(2, 3)
        if self.use_local:
            h = h0d.reshape(B * T, N, -1)
            ef = e.reshape(B * T, N, N, 5)
            for l, layer in enumerate(self.local):
                h, a = layer(h, adj, ef, mf)
                out[f"local_attention.{l}"] = a
            hL = h.view(B, T, N, -1)
            out["hL"] = hL
            lbar = masked_mean(*per_segment(hL), 3).reshape(B, S * N, -1)
            out["lbar"] = lbar
        # global edges: within a segment, over its co-visible frames
        pair = seg_mask.unsqueeze(4) * seg_mask.unsqueeze(3)  # [B,S,k,N,N]
        cnt = pair.sum(2)  # [B,S,N,N]
        es = e.view(B, S, k, N, N, 5)
        emean = (es * pair.unsqueeze(-1)).sum(2) / cnt.clamp(min=1).unsqueeze(-1)
        frames = x["frame_counts"].to(feats.dtype).view(B, 1, 1, 1) if "frame_counts" in x else torch.full((B, 1, 1, 1), float(k))
        tpos = torch.arange(k, dtype=feats.dtype).view(1, 1, k, 1, 1) / (frames.view(B, 1, 1, 1, 1) - 1).clamp(min=1)
        tpos = torch.where(frames.view(B, 1, 1, 1, 1) > 1, tpos, torch.zeros_like(tpos))
        tmean = (pair * tpos).sum(2) / cnt.clamp(min=1)
        within = torch.cat([emean, (cnt / frames).unsqueeze(-1), tmean.unsqueeze(-1)], -1)  # [B,S,N,N,7]
        seg_index = torch.arange(S).repeat_interleave(N)  # node -> segment
        ent_index = torch.arange(N).repeat(S)  # node -> entity
        same_seg = (seg_index.unsqueeze(1) == seg_index.unsqueeze(0)).float()
        gedges = torch.zeros(B, S * N, S * N, 7)
        for sg in range(S):
            gedges[:, sg * N:(sg + 1) * N, sg * N:(sg + 1) * N] = within[:, sg]
        if context != "clip":
            offset = (seg_index.unsqueeze(0) - seg_index.unsqueeze(1)).float()  # sender minus receiver
            extra = [offset / 10, (ent_index.unsqueeze(1) == ent_index.unsqueeze(0)).float()]
            extra += [(offset == o).float() for o in (-2, -1, 0, 1, 2)]
            extra += [(offset < -2).float(), (offset > 2).float()]
            gedges = torch.cat([gedges, torch.stack(extra, -1).unsqueeze(0).expand(B, -1, -1, -1)], -1)
        out["global_edges"] = gedges
        hm = (human.unsqueeze(1) * em.view(B, S, N)).reshape(B, S * N)

        def entity_heads(name, states):  # states [B,S*N,D]: h-bar per segment
            hb = masked_mean(states.view(B, S, N, -1), hm.view(B, S, N), 2)  # [B,S,D]
            hb = hb.unsqueeze(2).expand(-1, -1, N, -1).reshape(B, S * N, -1)
            out[f"{name}_subactivity_logits"] = self.head[f"{name}_subactivity"](states)
            out[f"{name}_affordance_logits"] = self.head[f"{name}_affordance"](torch.cat([states, hb], -1))
        if self.use_local:
            if cfg["task"] == "video":
                rL = torch.cat([masked_mean(lbar, em, 1), masked_max(lbar, em, 1)], -1)
                out["local_logits"] = self.head["local"](rL)
            else:
                entity_heads("local", lbar)
        if not self.use_global:
            return out
        # global graph
        hs, ms = per_segment(h0d)
        g_in = torch.cat([masked_mean(hs, ms, 3), masked_max(hs, ms, 3)], -1).reshape(B, S * N, -1)
        g0 = F.relu(self.global_input(g_in)) * em.unsqueeze(-1)
        out["g0"] = g0
        gadj = em.unsqueeze(2) * em.unsqueeze(1)
        if context == "causal":
            gadj = gadj * (seg_index.unsqueeze(0) <= seg_index.unsqueeze(1)).float()
        g = g0
        for l, layer in enumerate(self.global_):
            g, a = layer(g, gadj, gedges, em)
            out[f"global_attention.{l}"] = a
        hG = g
        out["hG"] = hG
        if cfg["task"] == "video":
            rG = torch.cat([masked_mean(hG, em, 1), masked_max(hG, em, 1)], -1)
            out["global_logits"] = self.head["global"](rG)
        else:
            entity_heads("global", hG)
        return out

    def losses(self, out, x):
        """The objective of docs/MODEL.md, section 9, label group by label group."""
        cfg = self.cfg
        tau, mode = cfg["tau"], cfg["distill"]
        em = out["entity_mask"]
        zero = torch.zeros(())

        # (local logits, global logits, labels, multi-label?) per group, logits as [rows, classes]
        def rows(z):
            return None if z is None else z.reshape(-1, z.shape[-1])
        if cfg["task"] == "video":
            groups = [(rows(out.get("local_logits")), rows(out.get("global_logits")), x["labels"], True)]
        else:
            groups = [(rows(out.get(f"local_{g}_logits")), rows(out.get(f"global_{g}_logits")), x[f"{h}_labels"].long().reshape(-1), False)
                      for g, h in (("subactivity", "human"), ("affordance", "object"))]

        eps = cfg.get("label_smoothing", 0.0)

        def cls(z, y, multi):
            if multi:
                return F.binary_cross_entropy_with_logits(z, y * (1 - eps) + eps / 2)
            v = (y >= 0).float()
            l = F.cross_entropy(z, y.clamp(min=0), reduction="none", label_smoothing=eps)
            return (l * v).sum() / v.sum().clamp(min=1)

        def kl(t, s, y, multi, chosen=None):
            """D(t -> s) over the chosen rows, normalised by all rows (labelled rows, single-label)."""
            t = t.detach() / tau
            s = s / tau
            if multi:
                if chosen is None:
                    chosen = torch.ones(t.shape[0], dtype=torch.bool)
                if not chosen.any():
                    return zero
                t, s = t[chosen], s[chosen]
                pt = torch.sigmoid(t)
                d = (pt * (F.logsigmoid(t) - F.logsigmoid(s)) + (1 - pt) * (F.logsigmoid(-t) - F.logsigmoid(-s))).mean()
                return d * chosen.sum() / chosen.numel()
            labelled = y >= 0
            valid = labelled if chosen is None else labelled & chosen
            if not valid.any():
                return zero
            lt, ls = F.log_softmax(t, -1), F.log_softmax(s, -1)
            k = (lt.exp() * (lt - ls)).sum(-1)
            return (k * valid.float()).sum() / labelled.sum()

        def row_losses(z, y, multi):
            if multi:
                return F.binary_cross_entropy_with_logits(z, y, reduction="none").mean(-1)
            l = F.cross_entropy(z, y.clamp(min=0), reduction="none")
            return torch.where(y >= 0, l, torch.full_like(l, float("inf")))

        have_local = groups[0][0] is not None
        have_global = groups[0][1] is not None
        cls_l = sum(cls(l, y, m) for l, g, y, m in groups) if have_local else zero
        cls_g = sum(cls(g, y, m) for l, g, y, m in groups) if have_global else zero
        d_gl = lambda: sum(kl(g, l, y, m) for l, g, y, m in groups)
        d_lg = lambda: sum(kl(l, g, y, m) for l, g, y, m in groups)
        lbar, hG = out.get("lbar"), out.get("hG")

        def fd(s, t):
            c = F.cosine_similarity(s, t.detach(), dim=-1, eps=1e-8)
            return ((1 - c) * em).sum() / em.sum().clamp(min=1)
        if cfg.get("variant", "glidn") != "glidn":
            mode = "none"
        terms = {}
        if mode == "mutual":
            terms = {"distill_logits": (tau ** 2 * (d_gl() + d_lg()), "lambda_kd"), "distill_features": (fd(lbar, hG) + fd(hG, lbar), "lambda_feat")}
        elif mode == "global-to-local":
            terms = {"distill_logits": (tau ** 2 * d_gl(), "lambda_kd"), "distill_features": (fd(lbar, hG), "lambda_feat")}
        elif mode == "local-to-global":
            terms = {"distill_logits": (tau ** 2 * d_lg(), "lambda_kd"), "distill_features": (fd(hG, lbar), "lambda_feat")}
        elif mode == "ensemble":  # the mean of the branches teaches both
            e = [((l + g) * 0.5, l, g, y, m) for l, g, y, m in groups]
            terms = {"distill_logits": (tau ** 2 * sum(kl(t, l, y, m) + kl(t, g, y, m) for t, l, g, y, m in e), "lambda_kd")}
        elif mode == "gated":  # per row, the branch with the lower loss teaches
            d = zero
            for l, g, y, m in groups:
                with torch.no_grad():
                    global_teaches = row_losses(l, y, m) >= row_losses(g, y, m)
                d = d + kl(g, l, y, m, global_teaches) + kl(l, g, y, m, ~global_teaches)
            terms = {"distill_logits": (tau ** 2 * d, "lambda_kd")}
        elif mode == "projected":  # FitNets: P(student) regresses onto sg(teacher)
            local_teaches = cfg.get("distill_parameters", {}).get("direction", 0) == 1
            s_, t_ = (hG, lbar) if local_teaches else (lbar, hG)
            diff = self.distill["projection"](s_) - t_.detach()
            dist = ((diff * diff).sum(-1) * em).sum() / (em.sum().clamp(min=1) * lbar.shape[-1])
            terms = {"distill_logits": (tau ** 2 * (d_lg() if local_teaches else d_gl()), "lambda_kd"), "distill_features": (dist, "lambda_feat")}
        elif mode == "relational":  # the global attention guides the local attention
            terms = {"distill_logits": (tau ** 2 * d_gl(), "lambda_kd"), "distill_relations": (self.relations(out, x), "lambda_feat")}
        total = cls_l + cls_g
        for value, weight in terms.values():
            total = total + cfg[weight] * value
        result = {"cls_local": cls_l, "cls_global": cls_g, "distill_logits": zero, "distill_features": zero}
        result.update({k: v for k, (v, _) in terms.items()})
        result["total"] = total
        return result

    def relations(self, out, x):
        """KL(teacher || student): per clip and visible entity i, the global graph's last-layer
        attention of i (mean over heads, detached) over the entities ever visible with i,
        renormalised, against the local graphs' last-layer attention of i (mean over heads)
        averaged over the frames where i is visible."""
        mask = x["mask"]
        B, T, N = mask.shape
        teacher = out[f"global_attention.{len(self.global_) - 1}"].detach().mean(-1)  # [B,N,N]
        student = out[f"local_attention.{len(self.local) - 1}"].mean(-1).view(B, T, N, N)
        w = mask / mask.sum(1, keepdim=True).clamp(min=1)  # [B,T,N]
        s = (student * w.unsqueeze(-1)).sum(1)  # [B,N,N]
        together = (out["global_edges"][..., 5] > 0).float()
        t = teacher * together
        total = t.sum(-1, keepdim=True)
        valid = (out["entity_mask"] > 0) & (total.squeeze(-1) > 0)
        p = torch.where(total > 0, t / total.clamp(min=1e-30), torch.zeros_like(t))
        logp = torch.where(p > 0, torch.log(p.clamp(min=1e-30)), torch.zeros_like(p))
        kl = (p * (logp - torch.log(s + 1e-6))).sum(-1)
        return (kl * valid.float()).sum() / valid.sum().clamp(min=1)


def fused_logits(model, out):
    """The prediction per label group as [rows, classes]: w * local + (1 - w) * global (the mean
    by default), or the one branch the variant has."""
    cfg = model.cfg
    w = cfg.get("fusion_weight", 0.5)
    names = ["actions"] if cfg["task"] == "video" else ["subactivity", "affordance"]
    fused = []
    for g in names:
        key = "{}_logits" if g == "actions" else "{}_" + g + "_logits"
        l, gl = out.get(key.format("local")), out.get(key.format("global"))
        if l is not None and gl is not None:
            z = (l + gl) * 0.5 if w == 0.5 else l * w + gl * (1 - w)
        else:
            z = l if l is not None else gl
        fused.append(z.reshape(-1, z.shape[-1]))
    return fused


def teacher_terms(student, s_out, s_x, teacher, t_out, scheme, shift, tau, projection=None):
    """Offline -> online distillation (docs/MODEL.md, section 15): the frozen teacher's terms for
    the student, each student node (s, n) paired with the teacher's (s + shift, n) when both are
    visible and s + shift is a segment."""
    cfg = student.cfg
    s_em, t_em = s_out["entity_mask"], t_out["entity_mask"].detach()
    B, M = s_em.shape
    N = s_x["mask"].shape[2]
    S = M // N
    node = torch.arange(M)
    ok = (node // N + shift) < S
    src = torch.where(ok, node + shift * N, torch.zeros_like(node))
    pairs = s_em * t_em[:, src] * ok.float()  # [B, M]
    terms = {}
    t_logits = [z.detach() for z in fused_logits(teacher, t_out)]
    s_logits = fused_logits(student, s_out)
    d = torch.zeros(())
    if cfg["task"] == "video":
        for t, z in zip(t_logits, s_logits):
            t, z = t / tau, z / tau
            pt = torch.sigmoid(t)
            d = d + (pt * (F.logsigmoid(t) - F.logsigmoid(z)) + (1 - pt) * (F.logsigmoid(-t) - F.logsigmoid(-z))).mean()
    else:
        labels = [s_x["human_labels"].long().reshape(-1), s_x["object_labels"].long().reshape(-1)]
        for t, z, y in zip(t_logits, s_logits, labels):
            t = t.view(B, M, -1)[:, src].reshape(B * M, -1)
            valid = (y >= 0) & (pairs.reshape(-1) > 0)
            if not valid.any():
                continue
            lt, ls = F.log_softmax(t / tau, -1), F.log_softmax(z / tau, -1)
            k = (lt.exp() * (lt - ls)).sum(-1)
            d = d + (k * valid.float()).sum() / valid.sum()
    terms["teacher_logits"] = tau ** 2 * d
    if scheme == "states":
        target = (t_out["hG"] if "hG" in t_out else t_out["lbar"]).detach()[:, src]
        states = s_out["hG"] if "hG" in s_out else s_out["lbar"]
        diff = projection(states) - target
        count = pairs.sum()
        terms["teacher_states"] = ((diff * diff).sum(-1) * pairs).sum() / (count * target.shape[-1]) if count > 0 else torch.zeros(())
    elif scheme == "relations":
        last = len(student.global_) - 1
        q = s_out[f"global_attention.{last}"].mean(-1)  # [B, M, M]
        alpha = t_out[f"global_attention.{len(teacher.global_) - 1}"].detach().mean(-1)[:, src]  # rows: paired teacher nodes
        gadj = s_em.unsqueeze(2) * s_em.unsqueeze(1)
        if cfg.get("temporal_context", "clip") == "causal":
            seg = node // N
            gadj = gadj * (seg.unsqueeze(0) <= seg.unsqueeze(1)).float()
        target = alpha * gadj
        total = target.sum(-1, keepdim=True)
        valid = (pairs > 0) & (total.squeeze(-1) > 0)
        p = torch.where(total > 0, target / total.clamp(min=1e-30), torch.zeros_like(target))
        logp = torch.where(p > 0, torch.log(p.clamp(min=1e-30)), torch.zeros_like(p))
        kl = (p * (logp - torch.log(q + 1e-6))).sum(-1)
        terms["teacher_relations"] = (kl * valid.float()).sum() / valid.sum() if valid.any() else torch.zeros(())
    return terms


def load_reference(path):
    from safetensors.torch import load_file
    from safetensors import safe_open
    with safe_open(path, "pt") as f:
        cfg = json.loads(f.metadata()["config"])
    return cfg, load_file(path)


def load_checkpoint(path):
    """A `glidn` checkpoint as (model, metadata): the model built from its configuration, every
    weight loaded by its docs/MODEL.md name; the metadata holds everything glidn stored (the
    configuration, the data options, the data files' identities)."""
    from safetensors.torch import load_file
    from safetensors import safe_open
    with safe_open(path, "pt") as f:
        metadata = dict(f.metadata() or {})
    model = GLIDN(json.loads(metadata["config"]))
    weights = load_file(path)
    params = model.named_checkpoint()
    missing = sorted(set(params) - set(weights))
    if missing:
        raise ValueError("%s lacks %s" % (path, ", ".join(missing[:5])))
    with torch.no_grad():
        for k, p in params.items():
            p.copy_(weights[k])
    return model, metadata


def save_checkpoint(model, path, metadata):
    """Writes `model` as a `glidn` checkpoint, keeping `metadata` (the data options, so that
    `glidn evaluate` rebuilds the data) with the model's own configuration. The checksums glidn
    wrote no longer hold and are left out: glidn loads the file with a warning."""
    from safetensors.torch import save_file
    kept = {k: v for k, v in metadata.items() if k != "crc32c"}
    kept["config"] = json.dumps(model.cfg)
    save_file({k: v.detach().contiguous() for k, v in model.named_checkpoint().items()}, path, metadata=kept)


def load_inputs(path):
    """The .npz of `glidn export-inputs` as (x, clip ids): x is the dict `model(x)` and
    `model.losses(out, x)` take, as the reference fixtures' input entries."""
    import numpy as np
    d = np.load(path)
    x = {k: torch.from_numpy(d[k].copy()) for k in d.files if k != "clip_ids"}
    if "frames_per_segment" in x:
        x["frames_per_segment"] = int(x["frames_per_segment"][0])
    ids = bytes(d["clip_ids"].tobytes()).decode().split("\n") if "clip_ids" in d.files else []
    return x, ids


def run(checkpoint, inputs):
    """Runs a checkpoint on exported inputs: the losses and each output's shape."""
    model, _ = load_checkpoint(checkpoint)
    model.eval()
    x, ids = load_inputs(inputs)
    with torch.no_grad():
        out = model(x)
        losses = model.losses(out, x)
    print("%d clips (%s%s)" % (len(ids), ", ".join(ids[:3]), ", …" if len(ids) > 3 else ""))
    print("losses: " + ", ".join("%s %.4f" % (k, v.item()) for k, v in sorted(losses.items())))
    print("outputs: " + ", ".join("%s %s" % (k, list(v.shape)) for k, v in sorted(out.items())))


def verify(paths):
    ok = True
    for path in paths:
        cfg, d = load_reference(path)
        model = GLIDN(cfg)
        params = model.named_checkpoint()
        with torch.no_grad():
            for k, p in params.items():
                p.copy_(d["param." + k])
        model.eval()
        x = {k[6:]: v for k, v in d.items() if k.startswith("input.")}
        out = model(x)
        loss = model.losses(out, x)
        loss["total"].backward()
        mine = {**{"output." + k: v for k, v in out.items()},
                **{"loss." + k: v for k, v in loss.items()},
                **{"grad." + k: p.grad for k, p in params.items()}}
        B, T, N = x["mask"].shape
        print(path)
        for k in sorted(d):
            if k.startswith(("input.", "param.")):
                continue
            ref, got = d[k], mine[k].detach()
            if "attention" in k:
                vis = x["mask"].reshape(B * T, N) if k.startswith("output.local") else out["entity_mask"]
                sel = vis > 0
                ref, got = ref[sel], got[sel]
            err = (got - ref).abs()
            bad = err > 1e-4 + 1e-3 * ref.abs()
            worst = err.max().item() if err.numel() else 0.0
            flag = "FAIL" if bad.any() else "ok"
            ok &= not bad.any()
            print(f"  {flag:4} {k:45} worst {worst:.2e}")
    return ok


def awkward_inputs(cfg, B, T, N, g):
    """Random inputs with the awkward cases of the reference files where the sizes allow."""
    F_ = cfg["features"]
    mask = (torch.rand(B, T, N, generator=g) < 0.75).float()
    mask[:, :, 0] = 1
    if N > 2:
        mask[B - 1, :, N - 1] = 0            # never visible
    if T > 1 and N > 1:
        mask[0, T - 1, 1:] = 0               # a frame with a single node
    xy = torch.rand(B, T, N, 2, generator=g) * 0.7
    wh = torch.rand(B, T, N, 2, generator=g) * 0.3
    boxes = torch.cat([xy, xy + wh], -1)
    if N > 1:
        boxes[0, 0, 1] = boxes[0, 0, 0].clone()  # identical boxes (IoU 1)
    boxes[B - 1, 0, 0, 2] = boxes[B - 1, 0, 0, 0]  # a zero-width box
    human = torch.zeros(B, N)
    human[:, 0] = 1
    if N > 1:
        human[0, 1] = 1                      # two humans in one clip
    x = {"features": torch.randn(B, T, N, F_, generator=g), "boxes": boxes, "mask": mask,
         "categories": torch.randint(0, cfg["categories"], (B, N), generator=g).int(), "is_human": human}
    if cfg["task"] == "video":
        x["labels"] = (torch.rand(B, cfg["classes"], generator=g) < 0.3).float()
    else:
        hl = torch.randint(0, cfg["subactivities"], (B, N), generator=g)
        ol = torch.randint(0, cfg["affordances"], (B, N), generator=g)
        em = mask.amax(1)
        hl = torch.where((human > 0) & (em > 0), hl, torch.full_like(hl, -1))
        ol = torch.where((human == 0) & (em > 0), ol, torch.full_like(ol, -1))
        x["human_labels"], x["object_labels"] = hl.int(), ol.int()
    return x


def segment_inputs(x, cfg, B, S, N, g):
    """Turns awkward inputs of T = S * k frames into a batch of whole videos: clip B-1 has one
    segment fewer (padding), labels per (segment, entity)."""
    T = x["mask"].shape[1]
    k = T // S
    x["mask"].view(B, S, k, N)[B - 1, S - 1] = 0  # a padded segment
    x["mask"].view(B, S, k, N)[0, 1, :, N - 1] = 0  # an entity absent from one segment only
    em = x["mask"].view(B, S, k, N).amax(2)  # [B,S,N]
    human = x["is_human"].unsqueeze(1).expand(B, S, N)
    hl = torch.randint(0, cfg["subactivities"], (B, S, N), generator=g)
    ol = torch.randint(0, cfg["affordances"], (B, S, N), generator=g)
    hl = torch.where((human > 0) & (em > 0), hl, torch.full_like(hl, -1))
    ol = torch.where((human == 0) & (em > 0), ol, torch.full_like(ol, -1))
    x["human_labels"], x["object_labels"] = hl.reshape(B, S * N).int(), ol.reshape(B, S * N).int()
    x["frames_per_segment"] = torch.tensor(k, dtype=torch.int32)
    x["segment_counts"] = torch.tensor([S] * (B - 1) + [S - 1], dtype=torch.int32)
    return x


def write_fixture(path, cfg, B, T, N, seed, S=1):
    """Writes a reference file (format of Tests/GLIDNTests/Fixtures/reference/README.md) for this configuration."""
    from safetensors.torch import save_file
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    model = GLIDN(cfg)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    model.eval()
    x = awkward_inputs(cfg, B, T, N, g)
    if S > 1:
        x = segment_inputs(x, cfg, B, S, N, g)
    out = model(x)
    loss = model.losses(out, x)
    loss["total"].backward()
    params = model.named_checkpoint()
    tensors = {}
    tensors.update({"input." + k: v.contiguous() for k, v in x.items()})
    tensors.update({"param." + k: v.detach().contiguous() for k, v in params.items()})
    tensors.update({"output." + k: v.detach().clone() for k, v in out.items()})
    tensors.update({"loss." + k: v.detach().reshape(()).clone() for k, v in loss.items()})
    tensors.update({"grad." + k: (v.grad if v.grad is not None else torch.zeros_like(v)).contiguous() for k, v in params.items()})
    save_file(tensors, path, metadata={"config": json.dumps(cfg)})


def write_teacher_fixture(path, cfg, teacher_cfg, scheme, shift, B, T, N, S, seed, weight=0.7, feature_weight=0.3):
    """A reference file for a student taught by a frozen teacher: the student's file as
    write_fixture's, plus the teacher's configuration (metadata `teacher_config`), weights
    (`teacher_param.*`) and inputs (`teacher_input.*`: the same clips, other features), the scheme
    (metadata `teacher`), the scheme's learned parts (`teaching_param.*`, gradients `grad.teaching.*`)
    and the teacher's terms (`loss.teacher_*`, in `loss.total` with their weights)."""
    from safetensors.torch import save_file
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    student, teacher = GLIDN(cfg), GLIDN(teacher_cfg)
    projection = nn.Linear(cfg["hidden"], teacher_cfg["hidden"]) if scheme == "states" else None
    with torch.no_grad():
        for p in list(student.parameters()) + list(teacher.parameters()) + (list(projection.parameters()) if projection else []):
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    student.eval(); teacher.eval()
    x = awkward_inputs(cfg, B, T, N, g)
    if S > 1:
        x = segment_inputs(x, cfg, B, S, N, g)
    tx = {k: v.clone() for k, v in x.items()}
    tx["features"] = torch.randn(tx["features"].shape, generator=g)  # the teacher's own view
    out = student(x)
    loss = student.losses(out, x)
    with torch.no_grad():
        t_out = teacher(tx)
    taught = teacher_terms(student, out, x, teacher, t_out, scheme, shift, cfg["tau"], projection)
    total = loss["total"] + weight * taught["teacher_logits"]
    for name in ("teacher_states", "teacher_relations"):
        if name in taught:
            total = total + feature_weight * taught[name]
    loss.update(taught)
    loss["total"] = total
    total.backward()
    params = student.named_checkpoint()
    tensors = {}
    tensors.update({"input." + k: v.contiguous() for k, v in x.items()})
    tensors.update({"teacher_input." + k: v.contiguous() for k, v in tx.items()})
    tensors.update({"param." + k: v.detach().contiguous() for k, v in params.items()})
    tensors.update({"teacher_param." + k: v.detach().contiguous() for k, v in teacher.named_checkpoint().items()})
    tensors.update({"output." + k: v.detach().clone() for k, v in out.items()})
    tensors.update({"loss." + k: v.detach().reshape(()).clone() for k, v in loss.items()})
    tensors.update({"grad." + k: (v.grad if v.grad is not None else torch.zeros_like(v)).contiguous() for k, v in params.items()})
    if projection is not None:
        for k, v in projection.named_parameters():
            tensors["teaching_param.projection." + k] = v.detach().contiguous()
            tensors["grad.teaching.projection." + k] = v.grad.contiguous()
    meta = {"scheme": scheme, "shift": shift, "weight": weight, "feature_weight": feature_weight}
    save_file(tensors, path, metadata={"config": json.dumps(cfg), "teacher_config": json.dumps(teacher_cfg),
                                       "teacher": json.dumps(meta)})


TEACHER_FIXTURES = {
    # name: (student overrides, teacher overrides, scheme, shift, B, T, N, S)
    "teacher_logits_anticipation": (
        {"task": "entity", "subactivities": 4, "affordances": 5, "temporal_context": "causal", "global_layers": 2,
         "distill": "global-to-local"},
        {"task": "entity", "subactivities": 4, "affordances": 5, "temporal_context": "video", "variant": "global",
         "global_layers": 2, "distill": "none"}, "logits", 1, 2, 8, 3, 4),
    "teacher_states_online": (
        {"task": "entity", "subactivities": 4, "affordances": 5, "temporal_context": "causal", "variant": "global",
         "global_layers": 2, "distill": "none"},
        {"task": "entity", "subactivities": 4, "affordances": 5, "temporal_context": "video", "global_layers": 1,
         "hidden": 12, "heads": 3, "distill": "none"}, "states", 0, 2, 9, 3, 3),
    "teacher_relations_anticipation": (
        {"task": "entity", "subactivities": 4, "affordances": 5, "temporal_context": "causal", "variant": "global",
         "global_layers": 2, "distill": "none"},
        {"task": "entity", "subactivities": 4, "affordances": 5, "temporal_context": "video", "variant": "global",
         "global_layers": 1, "distill": "none"}, "relations", 1, 2, 8, 3, 4),
    "teacher_logits_video": (
        {"task": "video", "classes": 5, "variant": "global", "global_layers": 2, "distill": "none"},
        {"task": "video", "classes": 5, "global_layers": 1, "distill": "none"}, "logits", 0, 3, 4, 4, 1),
}


FIXTURES = {
    # name: (config overrides, B, T, N[, S segments of T / S frames each])
    "single_frame_video": ({"task": "video", "classes": 5, "local_layers": 1, "global_layers": 2}, 2, 1, 4),
    "single_entity_entity": ({"task": "entity", "subactivities": 4, "affordances": 3, "local_edges": "human-object"}, 2, 3, 1),
    "deep_local_to_global": ({"task": "video", "classes": 6, "local_layers": 3, "global_layers": 2, "distill": "local-to-global", "heads": 4, "hidden": 12}, 2, 5, 4),
    "entity_full_none": ({"task": "entity", "subactivities": 5, "affordances": 6, "distill": "none"}, 3, 4, 5),
    "pooled_video": ({"task": "video", "classes": 4, "variant": "pooled"}, 2, 3, 3),
    "local_entity": ({"task": "entity", "subactivities": 3, "affordances": 4, "variant": "local"}, 2, 3, 3),
    "global_video": ({"task": "video", "classes": 4, "variant": "global", "global_layers": 2}, 2, 3, 3),
    "video_segments_entity": ({"task": "entity", "subactivities": 4, "affordances": 5, "temporal_context": "video",
                               "global_layers": 2}, 2, 9, 3, 3),
    "causal_segments_entity": ({"task": "entity", "subactivities": 4, "affordances": 5, "temporal_context": "causal",
                                "global_layers": 2, "distill": "global-to-local"}, 2, 8, 3, 4),
    "ensemble_video": ({"task": "video", "classes": 5, "distill": "ensemble"}, 3, 4, 4),
    "gated_entity": ({"task": "entity", "subactivities": 4, "affordances": 5, "distill": "gated"}, 3, 4, 4),
    "gated_video": ({"task": "video", "classes": 5, "distill": "gated"}, 3, 4, 4),
    "projected_video": ({"task": "video", "classes": 5, "distill": "projected"}, 3, 4, 4),
    "projected_up_entity": ({"task": "entity", "subactivities": 4, "affordances": 5, "distill": "projected",
                             "distill_parameters": {"direction": 1}}, 3, 4, 4),
    "relational_video": ({"task": "video", "classes": 5, "distill": "relational", "global_layers": 2}, 3, 4, 4),
    "mean_layer_entity": ({"task": "entity", "subactivities": 4, "affordances": 5, "graph_layer": "mean"}, 3, 4, 4),
    "label_smoothing_entity": ({"task": "entity", "subactivities": 4, "affordances": 5, "label_smoothing": 0.2}, 3, 4, 4),
    "label_smoothing_video": ({"task": "video", "classes": 5, "label_smoothing": 0.1}, 3, 4, 4),
}


def write_fixtures(folder):
    import os
    base = {"features": 3, "categories": 3, "hidden": 8, "heads": 2, "local_layers": 2, "global_layers": 1,
            "tau": 2.0, "lambda_kd": 0.5, "lambda_feat": 0.1, "distill": "mutual", "local_edges": "full", "dropout": 0.0}
    os.makedirs(folder, exist_ok=True)
    only = os.environ.get("FIXTURES")  # e.g. FIXTURES=video_segments_entity: write that one alone
    # Each fixture keeps its seed (the first seven were numbered in sorted order), so that
    # adding one never changes another.
    seeds = {name: 100 + i for i, name in enumerate(sorted(list(FIXTURES)[:7]))}
    seeds.update({name: 107 + i for i, name in enumerate(list(FIXTURES)[7:])})
    for name, (over, B, T, N, *S) in sorted(FIXTURES.items()):
        if only and name not in only.split(","):
            continue
        cfg = {**base, **over}
        path = os.path.join(folder, name + ".safetensors")
        write_fixture(path, cfg, B, T, N, seed=seeds[name], S=S[0] if S else 1)
        print("wrote", path)
    for i, (name, (over, teacher_over, scheme, shift, B, T, N, S)) in enumerate(sorted(TEACHER_FIXTURES.items())):
        if only and name not in only.split(","):
            continue
        path = os.path.join(folder, name + ".safetensors")
        write_teacher_fixture(path, {**base, **over}, {**base, **teacher_over}, scheme, shift, B, T, N, S, seed=300 + i)
        print("wrote", path)


def workload(name):
    if name == "cad120":
        return dict(B=16, T=20, N=6, F=64, K=11, D=128, H=4, task="entity", S=10, A=12)
    return dict(B=16, T=32, N=8, F=2048, K=37, D=256, H=4, task="video", C=157)


def random_batch(w, g):
    B, T, N = w["B"], w["T"], w["N"]
    mask = (torch.rand(B, T, N, generator=g) < 0.85).float()
    mask[:, :, 0] = 1
    xy = torch.rand(B, T, N, 2, generator=g) * 0.7
    wh = torch.rand(B, T, N, 2, generator=g) * 0.3 + 0.02
    boxes = torch.cat([xy, xy + wh], -1)
    x = {"features": torch.randn(B, T, N, w["F"], generator=g), "boxes": boxes, "mask": mask,
         "categories": torch.randint(0, w["K"], (B, N), generator=g),
         "is_human": torch.zeros(B, N)}
    x["is_human"][:, 0] = 1
    x["categories"][:, 0] = 0
    if w["task"] == "video":
        x["labels"] = (torch.rand(B, w["C"], generator=g) < 0.05).float()
    else:
        hl = torch.full((B, N), -1, dtype=torch.long)
        hl[:, 0] = torch.randint(0, w["S"], (B,), generator=g)
        ol = torch.randint(0, w["A"], (B, N), generator=g)
        ol[:, 0] = -1
        x["human_labels"], x["object_labels"] = hl, ol
    return x


def bench(name, steps, warmup, warmup_seconds, compile_, inference=False, batch=None):
    w = workload(name)
    if batch:
        w["B"] = batch
    cfg = {"features": w["F"], "categories": w["K"], "hidden": w["D"], "heads": w["H"],
           "local_layers": 2, "global_layers": 2, "tau": 2.0, "lambda_kd": 0.5, "lambda_feat": 0.1,
           "distill": "mutual", "local_edges": "full", "dropout": 0.1, "task": w["task"]}
    if w["task"] == "video":
        cfg["classes"] = w["C"]
    else:
        cfg["subactivities"], cfg["affordances"] = w["S"], w["A"]
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    model = GLIDN(cfg)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    x = random_batch(w, g)

    def train_step():
        opt.zero_grad(set_to_none=True)
        out = model(x)
        loss = model.losses(out, x)["total"]
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()

    def inference_step():
        # As `glidn bench --inference`: forward passes in evaluation mode, no gradients recorded.
        with torch.inference_mode():
            model(x)
    if inference:
        model.eval()
    step = inference_step if inference else train_step
    if compile_:
        step = torch.compile(step)
    # Warm-up: `warmup` steps and at least `warmup_seconds`, the same rule as `glidn bench`.
    start, warmed = time.perf_counter(), 0
    while warmed < warmup or time.perf_counter() - start < warmup_seconds:
        step()
        warmed += 1
    times = []
    for i in range(steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    med = times[len(times) // 2] if len(times) % 2 else 0.5 * (times[len(times) // 2 - 1] + times[len(times) // 2])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    res = {"workload": name, "mode": "inference" if inference else "training", "batch": w["B"],
           "ms_per_step_median": med, "ms_per_step_min": times[0],
           "clips_per_s": w["B"] * 1000 / med, "peak_rss_mb": rss, "threads": torch.get_num_threads()}
    print(json.dumps(res))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("verify")
    v.add_argument("files", nargs="+")
    b = sub.add_parser("bench")
    b.add_argument("--workload", choices=["cad120", "charades"], required=True)
    b.add_argument("--steps", type=int, default=20)
    b.add_argument("--warmup", type=int, default=3)
    b.add_argument("--warmup-seconds", type=float, default=0.25)
    b.add_argument("--compile", action="store_true")
    b.add_argument("--inference", action="store_true", help="forward passes only, without gradients")
    b.add_argument("--batch", type=int, help="clips per batch (default: the workload's 16)")
    fx = sub.add_parser("fixtures", help="write extra reference files (other sizes, modes and variants)")
    fx.add_argument("folder")
    r = sub.add_parser("run", help="run a glidn checkpoint on the .npz of `glidn export-inputs`")
    r.add_argument("checkpoint")
    r.add_argument("inputs")
    a = ap.parse_args()
    if a.cmd == "run":
        run(a.checkpoint, a.inputs)
        sys.exit(0)
    if a.cmd == "fixtures":
        write_fixtures(a.folder)
        sys.exit(0)
    if a.cmd == "verify":
        sys.exit(0 if verify(a.files) else 1)
    bench(a.workload, a.steps, a.warmup, a.warmup_seconds, a.compile, a.inference, a.batch)
