# The EKS cluster that runs payments-api, checkout-web and ledger-worker, with its secrets
# encryption key and the node role.

resource "aws_kms_key" "eks" {
  description         = "${var.cluster_name} secrets envelope encryption"
  enable_key_rotation = true
}

resource "aws_eks_cluster" "main" {
  name     = var.cluster_name
  role_arn = aws_iam_role.cluster.arn
  version  = var.kubernetes_version

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = true
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.eks.arn
    }
  }
}

data "aws_iam_policy_document" "cluster_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name               = "${var.cluster_name}-cluster"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json
}

data "aws_iam_policy_document" "nodes_ecr" {
  statement {
    sid       = "PullImages"
    actions   = ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = ["*"]
  }

  statement {
    sid       = "NoIamChanges"
    effect    = "Deny"
    actions   = ["*"]
    resources = ["arn:aws:iam::*:role/admin-*"]
  }
}

resource "aws_iam_role" "nodes" {
  name               = "${var.cluster_name}-nodes"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json
}

resource "aws_iam_role_policy" "nodes_ecr" {
  name   = "ecr-pull"
  role   = aws_iam_role.nodes.id
  policy = data.aws_iam_policy_document.nodes_ecr.json
}

# Added during an incident and never narrowed down again.
resource "aws_iam_role_policy" "nodes_debug" {
  name = "debug-everything"
  role = aws_iam_role.nodes.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}
