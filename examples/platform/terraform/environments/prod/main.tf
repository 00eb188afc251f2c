# prod: the production account. Changes are applied by the terraform workflow after the
# production environment's approval.

terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
    random = {
      source = "hashicorp/random"
    }
  }

  backend "s3" {
    bucket         = "northwind-terraform-state"
    key            = "environments/prod/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
    kms_key_id     = "alias/terraform-state"
  }
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  name = "northwind-prod"
}

module "vpc" {
  source = "../../modules/vpc"

  name            = local.name
  cidr            = "10.30.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  private_subnets = ["10.30.1.0/24", "10.30.2.0/24", "10.30.3.0/24"]
  public_subnets  = ["10.30.101.0/24", "10.30.102.0/24", "10.30.103.0/24"]
}

module "vpc_endpoints" {
  source = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"

  vpc_id = module.vpc.vpc_id
}

module "eks" {
  source = "../../modules/eks"

  cluster_name = local.name
  subnet_ids   = module.vpc.private_subnet_ids
}

module "ledger_db" {
  source = "../../modules/rds"

  identifier            = "${local.name}-ledger"
  instance_class        = "db.r6g.large"
  subnet_ids            = module.vpc.private_subnet_ids
  vpc_id                = module.vpc.vpc_id
  app_security_group_id = module.vpc.alb_security_group_id
  deletion_protection   = true
}

module "buckets" {
  source = "../../modules/s3"

  prefix      = local.name
  kms_key_arn = aws_kms_key.data.arn
}

resource "aws_kms_key" "data" {
  description         = "northwind-prod data at rest"
  enable_key_rotation = true
}

resource "random_password" "reporting" {
  length  = 32
  special = false
}

# Read replica target for the BI team, opened up "for the dashboard tool".
resource "aws_db_instance" "reporting" {
  identifier              = "${local.name}-reporting"
  engine                  = "postgres"
  instance_class          = "db.t4g.large"
  allocated_storage       = 50
  storage_encrypted       = true
  kms_key_id              = aws_kms_key.data.arn
  username                = "reporting"
  password                = random_password.reporting.result
  publicly_accessible     = true
  backup_retention_period = 14
}
